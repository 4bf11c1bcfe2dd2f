import Glibc

/// Keeps C copies of Swift strings alive for as long as libxlsxwriter may read them.
///
/// Functions taking `const char *` copy their argument, but option structs
/// declare `char *` fields (table names, column headers, validation lists)
/// that must outlive the call; those strings are `strdup`ed here and freed
/// only after the workbook is closed (see ../shared/notes/libxlsxwriter-from-swift.md).
final class CStringPool {
    private var owned: [UnsafeMutablePointer<CChar>] = []

    func copy(_ string: String) -> UnsafeMutablePointer<CChar> {
        let pointer = strdup(string)!
        owned.append(pointer)
        return pointer
    }

    /// A NULL-terminated array of C strings (for validation lists), owned by the pool.
    func copyList(_ strings: [String]) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?> {
        let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: strings.count + 1)
        for (i, s) in strings.enumerated() { list[i] = copy(s) }
        list[strings.count] = nil
        lists.append(list)
        return list
    }

    private var lists: [UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>] = []

    deinit {
        for p in owned { free(p) }
        for l in lists { l.deallocate() }
    }
}
