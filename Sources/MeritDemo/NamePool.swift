// Realistic, multilingual names for the roster (docs/reference.md §2.2 employees `name`,
// `login`, `email`). Readers and the workbook must cope with accents, CJK
// characters and apostrophes, and self-service (docs/reference.md §10) needs an ASCII
// login, so every name part carries its display form and a romanisation.

/// One part of a name: how it is written, and its lowercase ASCII form.
struct NamePart: Sendable {
    let display: String
    let ascii: String
    init(_ display: String, _ ascii: String? = nil) {
        self.display = display
        self.ascii = ascii ?? display.lowercased()
    }
}

/// A naming tradition: its parts and how a full name is assembled.
struct NameCulture: Sendable {
    enum Order: Sendable {
        case givenFirst  // "José Núñez"
        case familyFirstJoined  // "王芳", "佐藤健", "김민준"
        case familyFirstSpaced  // "Nguyễn Minh Anh"
    }
    let given: [NamePart]
    let family: [NamePart]
    let order: Order
}

/// A person's name as generated: the display name and the ASCII stem of the
/// login (`given.family`).
struct GeneratedName {
    let display: String
    let loginStem: String
}

/// The cultures and the regional mixes that teams draw from.
enum NamePool {
    static let english = NameCulture(
        given: [
            "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
            "Elizabeth", "William", "Sarah", "Emily", "Daniel", "Olivia", "Liam", "Noah", "Emma",
            "Grace", "Ethan", "Chloe", "Owen", "Megan", "Ryan",
        ].map { NamePart($0) },
        family: [
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
            "Taylor", "Thomas", "Moore", "Martin", "Thompson", "White", "Harris", "Clark", "Lewis",
            "Walker", "Young", "King", "MacLeod",
        ].map { NamePart($0) }
            + [NamePart("O'Brien", "obrien"), NamePart("O'Connor", "oconnor")],
        order: .givenFirst)

    static let hispanic = NameCulture(
        given: [
            NamePart("José", "jose"), NamePart("María", "maria"), NamePart("Lucía", "lucia"),
            NamePart("Ramón", "ramon"), NamePart("Inés", "ines"), NamePart("Sofía", "sofia"),
            NamePart("Andrés", "andres"), NamePart("Álvaro", "alvaro"), NamePart("João", "joao"),
            NamePart("Conceição", "conceicao"), NamePart("Íñigo", "inigo"), NamePart("Begoña", "begona"),
            NamePart("Carmen"), NamePart("Diego"), NamePart("Valentina"), NamePart("Mateo"),
        ],
        family: [
            NamePart("García", "garcia"), NamePart("Martínez", "martinez"),
            NamePart("Rodríguez", "rodriguez"), NamePart("Hernández", "hernandez"),
            NamePart("López", "lopez"), NamePart("González", "gonzalez"), NamePart("Pérez", "perez"),
            NamePart("Sánchez", "sanchez"), NamePart("Núñez", "nunez"), NamePart("Muñoz", "munoz"),
            NamePart("Gómez", "gomez"), NamePart("Peña", "pena"), NamePart("Gonçalves", "goncalves"),
            NamePart("Simões", "simoes"), NamePart("Araújo", "araujo"), NamePart("Ortiz"),
        ],
        order: .givenFirst)

    static let german = NameCulture(
        given: [
            NamePart("Jürgen", "juergen"), NamePart("Björn", "bjoern"), NamePart("Günter", "guenter"),
            NamePart("Lukas"), NamePart("Anna"), NamePart("Jörg", "joerg"), NamePart("Sören", "soeren"),
            NamePart("Lena"), NamePart("Maximilian"), NamePart("Käthe", "kaethe"), NamePart("Felix"),
            NamePart("Johanna"), NamePart("Hannah"), NamePart("Jonas"),
        ],
        family: [
            NamePart("Müller", "mueller"), NamePart("Schröder", "schroeder"), NamePart("Weiß", "weiss"),
            NamePart("Groß", "gross"), NamePart("Köhler", "koehler"), NamePart("Schäfer", "schaefer"),
            NamePart("Becker"), NamePart("Hoffmann"), NamePart("Krämer", "kraemer"), NamePart("Vogt"),
            NamePart("Fischer"), NamePart("Wagner"), NamePart("Neumann"),
        ],
        order: .givenFirst)

    static let french = NameCulture(
        given: [
            NamePart("François", "francois"), NamePart("Hélène", "helene"), NamePart("Zoé", "zoe"),
            NamePart("Léa", "lea"), NamePart("Chloé", "chloe"), NamePart("Benoît", "benoit"),
            NamePart("Théo", "theo"), NamePart("Élodie", "elodie"), NamePart("Jérôme", "jerome"),
            NamePart("Maël", "mael"), NamePart("Camille"), NamePart("Louis"),
        ],
        family: [
            NamePart("Lefèvre", "lefevre"), NamePart("Dubois"), NamePart("Bérenger", "berenger"),
            NamePart("Moreau"), NamePart("Girard"), NamePart("Lemaître", "lemaitre"),
            NamePart("Rousseau"), NamePart("Faure"), NamePart("Chevalier"), NamePart("Benoît", "benoit"),
        ],
        order: .givenFirst)

    static let nordic = NameCulture(
        given: [
            NamePart("Søren", "soren"), NamePart("Åsa", "asa"), NamePart("Bjørn", "bjorn"),
            NamePart("Ingrid"), NamePart("Sigrún", "sigrun"), NamePart("Håkon", "hakon"),
            NamePart("Astrid"), NamePart("Freja"),
        ],
        family: [
            NamePart("Nørgaard", "norgaard"), NamePart("Lindqvist"), NamePart("Åberg", "aberg"),
            NamePart("Jørgensen", "jorgensen"), NamePart("Sigurðsson", "sigurdsson"), NamePart("Hansen"),
        ],
        order: .givenFirst)

    static let slavic = NameCulture(
        given: [
            NamePart("Łukasz", "lukasz"), NamePart("Małgorzata", "malgorzata"), NamePart("Paweł", "pawel"),
            NamePart("Zofia"), NamePart("Jiří", "jiri"), NamePart("Tereza"), NamePart("Ondřej", "ondrej"),
            NamePart("Agnieszka"),
        ],
        family: [
            NamePart("Kowalski"), NamePart("Nowak"), NamePart("Wójcik", "wojcik"),
            NamePart("Kamiński", "kaminski"), NamePart("Dvořák", "dvorak"), NamePart("Novák", "novak"),
            NamePart("Svoboda"), NamePart("Černý", "cerny"),
        ],
        order: .givenFirst)

    static let turkish = NameCulture(
        given: [
            NamePart("Ayşe", "ayse"), NamePart("Mehmet"), NamePart("Çağlar", "caglar"),
            NamePart("Gülşen", "gulsen"), NamePart("Emre"), NamePart("Elif"),
        ],
        family: [
            NamePart("Yılmaz", "yilmaz"), NamePart("Öztürk", "ozturk"), NamePart("Şahin", "sahin"),
            NamePart("Çelik", "celik"), NamePart("Demir"), NamePart("Aydın", "aydin"),
        ],
        order: .givenFirst)

    static let chinese = NameCulture(
        given: [
            NamePart("芳", "fang"), NamePart("雷", "lei"), NamePart("伟", "wei"), NamePart("静", "jing"),
            NamePart("敏", "min"), NamePart("洋", "yang"), NamePart("艳", "yan"), NamePart("勇", "yong"),
            NamePart("军", "jun"), NamePart("杰", "jie"), NamePart("娟", "juan"), NamePart("涛", "tao"),
            NamePart("明", "ming"), NamePart("超", "chao"), NamePart("秀英", "xiuying"),
            NamePart("建华", "jianhua"), NamePart("晓燕", "xiaoyan"), NamePart("子涵", "zihan"),
            NamePart("浩然", "haoran"), NamePart("欣怡", "xinyi"),
        ],
        family: [
            NamePart("王", "wang"), NamePart("李", "li"), NamePart("张", "zhang"), NamePart("刘", "liu"),
            NamePart("陈", "chen"), NamePart("杨", "yang"), NamePart("黄", "huang"), NamePart("赵", "zhao"),
            NamePart("吴", "wu"), NamePart("周", "zhou"), NamePart("徐", "xu"), NamePart("孙", "sun"),
            NamePart("林", "lin"), NamePart("何", "he"), NamePart("郭", "guo"),
        ],
        order: .familyFirstJoined)

    static let japanese = NameCulture(
        given: [
            NamePart("健", "ken"), NamePart("花子", "hanako"), NamePart("翔太", "shota"),
            NamePart("陽菜", "hina"), NamePart("大輔", "daisuke"), NamePart("美咲", "misaki"),
            NamePart("蓮", "ren"), NamePart("結衣", "yui"), NamePart("拓也", "takuya"),
            NamePart("さくら", "sakura"), NamePart("直樹", "naoki"), NamePart("愛", "ai"),
        ],
        family: [
            NamePart("佐藤", "sato"), NamePart("鈴木", "suzuki"), NamePart("高橋", "takahashi"),
            NamePart("田中", "tanaka"), NamePart("伊藤", "ito"), NamePart("渡辺", "watanabe"),
            NamePart("山本", "yamamoto"), NamePart("中村", "nakamura"), NamePart("小林", "kobayashi"),
            NamePart("加藤", "kato"),
        ],
        order: .familyFirstJoined)

    static let korean = NameCulture(
        given: [
            NamePart("민준", "minjun"), NamePart("서연", "seoyeon"), NamePart("지훈", "jihoon"),
            NamePart("수빈", "subin"), NamePart("하은", "haeun"), NamePart("도윤", "doyun"),
        ],
        family: [
            NamePart("김", "kim"), NamePart("이", "lee"), NamePart("박", "park"), NamePart("최", "choi"),
            NamePart("정", "jung"),
        ],
        order: .familyFirstJoined)

    static let vietnamese = NameCulture(
        given: [
            NamePart("Minh Anh", "minhanh"), NamePart("Thị Hương", "huong"), NamePart("Văn Đức", "duc"),
            NamePart("Thu Trang", "trang"), NamePart("Quốc Bảo", "bao"),
        ],
        family: [
            NamePart("Nguyễn", "nguyen"), NamePart("Trần", "tran"), NamePart("Lê", "le"),
            NamePart("Phạm", "pham"), NamePart("Hoàng", "hoang"),
        ],
        order: .familyFirstSpaced)

    static let indian = NameCulture(
        given: ["Priya", "Arjun", "Ananya", "Rahul", "Aditi", "Vikram", "Sneha", "Rohan", "Kavya", "Ishaan"]
            .map { NamePart($0) },
        family: ["Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Nair", "Mehta", "Chatterjee"].map { NamePart($0) },
        order: .givenFirst)

    static let arabic = NameCulture(
        given: ["Omar", "Layla", "Youssef", "Fatima", "Karim", "Amira", "Nadia", "Tariq"].map { NamePart($0) },
        family: [
            NamePart("Haddad"), NamePart("Khalil"), NamePart("Nasser"), NamePart("El-Amin", "elamin"),
            NamePart("Farouk"), NamePart("Mansour"),
        ],
        order: .givenFirst)

    /// Where a team sits decides the mix of names in it.
    enum Region: Sendable {
        case northAmerica, europe, japan, southeastAsia
    }

    static func mix(for region: Region) -> (cultures: [NameCulture], weights: CategoricalTable) {
        switch region {
        case .northAmerica:
            return (
                [english, hispanic, chinese, indian, vietnamese, korean, arabic, french, japanese],
                CategoricalTable([35, 20, 12, 10, 6, 5, 5, 4, 3])
            )
        case .europe:
            return (
                [german, french, hispanic, slavic, nordic, turkish, english, arabic, chinese],
                CategoricalTable([25, 15, 15, 12, 8, 10, 5, 5, 5])
            )
        case .japan:
            return ([japanese, chinese, korean, english], CategoricalTable([75, 10, 8, 7]))
        case .southeastAsia:
            return ([chinese, indian, english, vietnamese, korean], CategoricalTable([50, 20, 10, 10, 10]))
        }
    }
}

/// Draws names for a whole roster. The first two Chinese names are always
/// 王芳 and 李雷, so every generated company shows CJK names end to end.
struct NameDrawer {
    private var chineseDrawn = 0

    mutating func draw(region: NamePool.Region, rng: inout SeededGenerator) -> GeneratedName {
        let mix = NamePool.mix(for: region)
        let culture = mix.cultures[mix.weights.draw(&rng)]
        var given = rng.pick(culture.given)
        var family = rng.pick(culture.family)
        if culture.family.first?.display == "王" && chineseDrawn < 2 {
            given = chineseDrawn == 0 ? NamePart("芳", "fang") : NamePart("雷", "lei")
            family = chineseDrawn == 0 ? NamePart("王", "wang") : NamePart("李", "li")
            chineseDrawn += 1
        }
        let display: String
        switch culture.order {
        case .givenFirst: display = given.display + " " + family.display
        case .familyFirstJoined: display = family.display + given.display
        case .familyFirstSpaced: display = family.display + " " + given.display
        }
        return GeneratedName(display: display, loginStem: given.ascii + "." + family.ascii)
    }
}
