import ArgumentParser
import Foundation
import MeritEngine
import MeritInput
import MeritReport
import MeritStore

/// `merit rubrics list|show`: the rubrics built into merit (`ShippedRubrics`), to choose one and copy it into a
/// workspace (docs/reference.md §4).
struct RubricsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rubrics",
        abstract: "List the rubrics built into merit, or print one to copy and edit.",
        discussion: """
            The shipped rubrics are commented line by line; start from the closest one, save it in the workspace's rubrics/ folder, change what your company does differently (bump its version), and list it under rubrics: in merit.yaml.

            Examples:
              merit rubrics list
              merit rubrics show customer-service > rubrics/customer-service.yaml
            """,
        subcommands: [List.self, Show.self]
    )

    /// A shipped rubric: its file name and text, and what the file says about itself.
    struct Shipped {
        let file: String
        let text: String
        let rubric: Rubric
    }

    /// Every shipped rubric, in file-name order (each loads: ShippedRubricsTests checks it).
    static func shipped() throws -> [Shipped] {
        var all: [Shipped] = []
        for file in ShippedRubrics.files {
            do {
                all.append(Shipped(file: file.name, text: file.text, rubric: try RubricLoader.parse(bytes: Array(file.text.utf8), file: file.name)))
            } catch { throw ExitStatus.fail(error) }
        }
        return all
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "One line per shipped rubric: id and version, name, and the roles it reviews.",
            discussion: "A rubric without roles reviews every role. merit rubrics show ID prints one."
        )

        @Option(name: .long, help: "table (for people) or json (id, version, name, roles, file and sha256 of each, for scripts).")
        var format: OutputFormat = .table

        func run() async throws {
            let all = try RubricsCommand.shipped()
            switch format {
            case .json:
                Terminal.write(
                    jsonArray(
                        all.map { s in
                            [
                                "id": s.rubric.id, "version": s.rubric.version, "name": s.rubric.name, "roles": s.rubric.roles,
                                "file": s.file, "sha256": s.rubric.sha256,
                            ]
                        }))
            case .table:
                Terminal.write(table(all))
            }
        }

        /// Aligned columns within `width` (80-column terminals): names give way first, cut with an ellipsis.
        func table(_ all: [Shipped], width: Int = 80) -> String {
            let headers = ["Rubric", "Name", "Roles"]
            let rows = all.map { s in
                [
                    "\(s.rubric.id) v\(s.rubric.version)", s.rubric.name ?? "",
                    s.rubric.roles.isEmpty ? "every role" : s.rubric.roles.joined(separator: ", "),
                ]
            }
            var widths = headers.map { DisplayWidth.of($0) }
            for r in rows { for (i, c) in r.enumerated() { widths[i] = max(widths[i], DisplayWidth.of(c)) } }
            let total = widths.reduce(0, +) + 2 * (widths.count - 1)
            if total > width { widths[1] = max(8, widths[1] - (total - width)) }
            func line(_ cells: [String]) -> String {
                cells.enumerated().map { i, c in DisplayWidth.fit(c, widths[i]) }.joined(separator: "  ")
                    .replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression)
            }
            return ([line(headers)] + rows.map(line)).joined(separator: "\n") + "\n"
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print a shipped rubric's YAML, comments and all, byte for byte: redirect it to a file to edit.",
            discussion: """
                Then list the copy in merit.yaml, under rubrics:
                  - file: rubrics/customer-service.yaml

                An id that is not a shipped rubric is a usage error (exit 64); the message lists the ids.

                Example:
                  merit rubrics show customer-service > rubrics/customer-service.yaml
                """
        )

        @Argument(help: "The rubric's id (merit rubrics list shows them).")
        var id: String

        /// The shipped rubric named `id` (its id, or its file name with or without .yaml).
        static func find(_ id: String, in all: [Shipped]) -> Shipped? {
            all.first { $0.rubric.id == id || $0.file == id || $0.file == id + ".yaml" }
        }

        func validate() throws {
            let all = try RubricsCommand.shipped()
            guard Show.find(id, in: all) != nil else {
                throw ValidationError(
                    "'\(id)' is not a rubric built into merit; the shipped rubrics are \(all.map(\.rubric.id).joined(separator: ", "))")
            }
        }

        func run() async throws {
            guard let found = Show.find(id, in: try RubricsCommand.shipped()) else { return }
            Terminal.write(utf8: Array(found.text.utf8))
        }
    }
}
