import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Forwards `XMLParser` (SAX) callbacks to an ``XMLEventHandler`` and keeps the
/// first fatal problem: an error the handler threw, or an XML error (docs/reference.md §2:
/// `.xlsx` inputs are streamed; docs/reference.md §11: a malformed file is an error of the
/// whole file). Warnings and namespace errors that libxml2 reports through the
/// same callback do not stop the parse.
final class XMLParserBridge: NSObject, XMLParserDelegate {
    private let handler: any XMLEventHandler
    /// The error the handler threw, if any.
    private(set) var handlerError: (any Error)?
    /// The first fatal XML error: libxml2's code and where it happened.
    private(set) var xmlError: (code: Int, line: Int, column: Int)?
    /// Whether the root element was seen (an empty part parses "successfully").
    private(set) var sawElement = false
    private var stopped = false

    init(handler: any XMLEventHandler) {
        self.handler = handler
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        guard !stopped else { return }
        sawElement = true
        do { try handler.start(XMLAttributes.localName(elementName), attributeDict) } catch { fail(parser, error) }
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?
    ) {
        guard !stopped else { return }
        do { try handler.end(XMLAttributes.localName(elementName)) } catch { fail(parser, error) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stopped else { return }
        handler.text(string)
    }

    func parser(_ parser: XMLParser, foundIgnorableWhitespace whitespaceString: String) {
        guard !stopped else { return }
        handler.text(whitespaceString)
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stopped else { return }
        handler.text(String(decoding: CDATABlock, as: UTF8.self))
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: any Error) {
        guard !stopped else { return }
        let code = (parseError as NSError).code
        guard !Self.isHarmless(code) else { return }
        xmlError = (code, parser.lineNumber, parser.columnNumber)
        stopped = true
        parser.abortParsing()
    }

    private func fail(_ parser: XMLParser, _ error: any Error) {
        handlerError = error
        stopped = true
        parser.abortParsing()
    }

    /// libxml2 warnings (`XML_WAR_*`) and namespace errors (`XML_NS_ERR_*`,
    /// 200–299), which leave the document's elements and text intact.
    static func isHarmless(_ code: Int) -> Bool {
        switch code {
        case 27, 93, 97, 98, 99, 100, 102, 106, 107: return true
        case 200...299: return true
        default: return false
        }
    }
}
