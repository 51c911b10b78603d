// The minutes as the parts of an OpenDocument text (.odt, ODF 1.3). The
// caller zips them; here they are only XML strings. Styles are named so that
// a person editing the document in LibreOffice or Word finds "Heading 1",
// "Text body" and so on.

#include <cmath>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "minutes_document.hpp"
#include "minutes_text.hpp"
#include "ruche/minutes/xml_text.hpp"

namespace ruche::protocol {
namespace {

using detail::block;
using detail::block_role;
using detail::line;
using detail::run;

constexpr std::string_view xml_declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
constexpr std::string_view ns_office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

// ODF collapses white space in paragraphs: runs of spaces, spaces at the
// start of a line, tabs and line breaks are written as elements.
class paragraph_text {
  public:
    void add(std::string_view s) {
        std::size_t i = 0;
        while (i < s.size()) {
            const char c = s[i];
            if (c == ' ') {
                std::size_t n = 0;
                while (i < s.size() && s[i] == ' ') ++n, ++i;
                if (!after_space_) {
                    out_ += ' ';
                    --n;
                }
                if (n == 1) out_ += "<text:s/>";
                if (n > 1) out_ += "<text:s text:c=\"" + std::to_string(n) + "\"/>";
                after_space_ = true;
                continue;
            }
            if (c == '\n') {
                out_ += "<text:line-break/>";
                after_space_ = true;
            } else if (c == '\t') {
                out_ += "<text:tab/>";
                after_space_ = true;
            } else {
                const auto next = s.find_first_of(" \n\t", i);
                const auto piece =
                    s.substr(i, next == std::string_view::npos ? s.size() - i : next - i);
                out_ += xml_text(piece, quotes::escaped);
                i += piece.size();
                after_space_ = false;
                continue;
            }
            ++i;
        }
    }
    void add(const line& runs) {
        for (const auto& piece : runs) {
            const std::string_view style = piece.look == run::style::strong ? "Strong_20_Emphasis"
                                           : piece.look == run::style::emphasis ? "Emphasis"
                                                                                : "";
            if (!style.empty())
                out_ += "<text:span text:style-name=\"" + std::string(style) + "\">";
            add(piece.text);
            if (!style.empty()) out_ += "</text:span>";
        }
    }
    const std::string& str() const { return out_; }

  private:
    std::string out_;
    bool after_space_ = true;
};

std::string paragraph(std::string_view style, const line& runs) {
    paragraph_text p;
    p.add(runs);
    return "<text:p text:style-name=\"" + std::string(style) + "\">" + p.str() + "</text:p>\n";
}

std::string_view style_of(block_role r) {
    switch (r) {
        case block_role::subtitle:
            return "Subtitle";
        case block_role::question:
            return "Ruche_20_Question";
        case block_role::footer:
            return "Ruche_20_End";
        default:
            return "Text_20_body";
    }
}

// "4.50cm": two decimals, a point, whatever the locale.
std::string centimetres(double cm) {
    const auto hundredths = static_cast<long long>(std::lround(cm * 100));
    const auto fraction = std::to_string(hundredths % 100);
    return std::to_string(hundredths / 100) + "." + (fraction.size() < 2 ? "0" : "") + fraction + "cm";
}

class content_writer {
  public:
    // The images the content refers to, for the package: name and bytes.
    std::vector<std::pair<std::string, std::string>> pictures;

    std::string render(const detail::document& d) {
        std::string out(xml_declaration);
        out += "<office:document-content xmlns:office=\"" + std::string(ns_office) + "\"";
        out += R"( xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0")";
        out += R"( xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0")";
        out += R"( xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0")";
        out += R"( xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0")";
        out += R"( xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0")";
        out += R"( xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0")";
        out += R"( xmlns:xlink="http://www.w3.org/1999/xlink")";
        out += R"( office:version="1.3">)"
               "\n";
        out += R"(<office:automatic-styles>
<style:style style:name="Ruche_Table" style:family="table"><style:table-properties style:width="12cm" table:align="left" fo:margin-top="0.1cm" fo:margin-bottom="0.3cm"/></style:style>
<style:style style:name="Ruche_Cell" style:family="table-cell"><style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #999999"/></style:style>
<style:style style:name="Ruche_Head" style:family="table-cell"><style:table-cell-properties fo:padding="0.08cm" fo:border="0.5pt solid #999999" fo:background-color="#eeeae0"/></style:style>
</office:automatic-styles>
<office:body>
<office:text>
)";
        for (const auto& b : d.blocks) write(b, out);
        out += "</office:text>\n</office:body>\n</office:document-content>\n";
        return out;
    }

  private:
    void write(const block& b, std::string& out) {
        switch (b.type) {
            case block::kind::title:
                out += paragraph("Title", b.text);
                break;
            case block::kind::heading: {
                const int level = b.level <= 1 ? 1 : 2;
                paragraph_text p;
                p.add(b.text);
                out += "<text:h text:style-name=\"Heading_20_" + std::to_string(level) +
                       "\" text:outline-level=\"" + std::to_string(level) + "\">" + p.str() +
                       "</text:h>\n";
                break;
            }
            case block::kind::paragraph:
                out += paragraph(style_of(b.purpose), b.text);
                break;
            case block::kind::quote:
                // One paragraph per paragraph of the synthesis.
                for (const auto& piece : b.text) {
                    std::string text;
                    for (const auto l : detail::split_lines(piece.text)) {
                        if (l.empty()) {
                            if (!text.empty()) out += paragraph("Ruche_20_Synthesis", {{text}});
                            text.clear();
                            continue;
                        }
                        if (!text.empty()) text += '\n';
                        text += l;
                    }
                    if (!text.empty()) out += paragraph("Ruche_20_Synthesis", {{text}});
                }
                break;
            case block::kind::numbered:
            case block::kind::bullets:
                list(b, out);
                break;
            case block::kind::table:
                table(b.grid, out);
                break;
            case block::kind::gallery:
                gallery(b, out);
                break;
            case block::kind::rule:
                break;  // the closing note has a rule above it
        }
    }

    // Each photo 6 cm wide, in its own paragraph, its caption below it; the
    // image itself goes in the package (`pictures`).
    void gallery(const block& b, std::string& out) {
        for (const auto& p : b.pictures) {
            const double width_cm = 6.0;
            const double height_cm =
                p.image->width > 0 ? width_cm * p.image->height / p.image->width : width_cm * 0.75;
            const std::string size = "svg:width=\"" + centimetres(width_cm) + "\" svg:height=\"" + centimetres(height_cm) + "\"";
            out += "<text:p text:style-name=\"Text_20_body\"><draw:frame draw:name=\"" + xml_text(p.name, quotes::escaped) +
                   "\" text:anchor-type=\"as-char\" " + size + "><draw:image xlink:href=\"" +
                   xml_text(p.name, quotes::escaped) +
                   "\" xlink:type=\"simple\" xlink:show=\"embed\" xlink:actuate=\"onLoad\"/><svg:desc>" +
                   xml_text(p.alt) + "</svg:desc></draw:frame></text:p>\n";
            out += paragraph("Ruche_20_Detail", {{p.caption}});
            pictures.emplace_back(p.name, p.image->jpeg);
        }
    }

    void list(const block& b, std::string& out) {
        const bool numbered = b.type == block::kind::numbered;
        out += std::string("<text:list text:style-name=\"") +
               (numbered ? "Ruche_20_Numbers" : "Ruche_20_Bullets") + "\">\n";
        bool first = true;
        for (const auto& item : b.items) {
            // Each list starts again at 1.
            out +=
                first && numbered ? "<text:list-item text:start-value=\"1\">" : "<text:list-item>";
            first = false;
            out += paragraph("Ruche_20_List", item.text);
            if (!item.details.empty()) {
                out += "<text:list>\n";
                for (const auto& detail : item.details) {
                    out += "<text:list-item>" + paragraph("Ruche_20_Detail", detail) +
                           "</text:list-item>\n";
                }
                out += "</text:list>\n";
            }
            out += "</text:list-item>\n";
        }
        out += "</text:list>\n";
    }

    void table(const detail::table& t, std::string& out) {
        const auto numeric = [&](std::size_t i) { return i < t.numeric.size() && t.numeric[i]; };
        out += "<table:table table:name=\"Table" + std::to_string(++tables_) +
               "\" table:style-name=\"Ruche_Table\">\n";
        out += "<table:table-column table:number-columns-repeated=\"" +
               std::to_string(t.header.size()) + "\"/>\n";
        out += "<table:table-header-rows>\n<table:table-row>";
        for (std::size_t i = 0; i < t.header.size(); ++i) {
            out += R"(<table:table-cell table:style-name="Ruche_Head" office:value-type="string">)";
            std::string p = paragraph(
                numeric(i) ? "Ruche_20_Number_20_Heading" : "Table_20_Heading", {{t.header[i]}});
            p.pop_back();  // keep the row on one line
            out += p + "</table:table-cell>";
        }
        out += "</table:table-row>\n</table:table-header-rows>\n";
        for (const auto& r : t.rows) {
            out += "<table:table-row>";
            for (std::size_t i = 0; i < r.size(); ++i) {
                out +=
                    R"(<table:table-cell table:style-name="Ruche_Cell" office:value-type="string">)";
                std::string p =
                    paragraph(numeric(i) ? "Ruche_20_Number" : "Table_20_Contents", r[i]);
                p.pop_back();
                out += p + "</table:table-cell>";
            }
            out += "</table:table-row>\n";
        }
        out += "</table:table>\n";
    }

    int tables_ = 0;
};

struct language {
    std::string code;
    std::string country;
};

language language_of(std::string_view lang) {
    std::string code;
    for (const char c : lang) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) code += c;
    }
    if (code.empty() || code == "fr") return {"fr", "FR"};
    if (code == "en") return {"en", "GB"};
    return {code, ""};
}

std::string styles_xml(const language& lang) {
    std::string locale = "fo:language=\"" + lang.code + "\"";
    if (!lang.country.empty()) locale += " fo:country=\"" + lang.country + "\"";
    std::string out(xml_declaration);
    out += "<office:document-styles xmlns:office=\"" + std::string(ns_office) + "\"";
    out += R"( xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0")";
    out += R"( xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0")";
    out += R"( xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0")";
    out += R"( xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0")";
    out += R"( office:version="1.3">)"
           "\n";
    out += R"(<office:font-face-decls>
<style:font-face style:name="Liberation Sans" svg:font-family="'Liberation Sans'" style:font-family-generic="swiss" style:font-pitch="variable"/>
</office:font-face-decls>
<office:styles>
<style:default-style style:family="paragraph">
<style:paragraph-properties fo:orphans="2" fo:widows="2" fo:hyphenation-ladder-count="no-limit"/>
<style:text-properties style:font-name="Liberation Sans" fo:font-size="11pt" )" +
           locale + R"( fo:hyphenate="false"/>
</style:default-style>
<style:style style:name="Standard" style:family="paragraph" style:class="text"/>
<style:style style:name="Text_20_body" style:display-name="Text body" style:family="paragraph" style:parent-style-name="Standard" style:class="text">
<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.2cm" fo:line-height="115%"/>
</style:style>
<style:style style:name="Title" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Subtitle" style:class="chapter">
<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.1cm" fo:keep-with-next="always"/>
<style:text-properties fo:font-size="20pt" fo:font-weight="bold"/>
</style:style>
<style:style style:name="Subtitle" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="chapter">
<style:paragraph-properties fo:margin-top="0cm" fo:margin-bottom="0.35cm"/>
<style:text-properties fo:font-size="13pt" fo:color="#4a4a4a"/>
</style:style>
<style:style style:name="Heading" style:family="paragraph" style:parent-style-name="Standard" style:next-style-name="Text_20_body" style:class="text">
<style:paragraph-properties fo:margin-top="0.5cm" fo:margin-bottom="0.2cm" fo:keep-with-next="always"/>
<style:text-properties fo:font-weight="bold"/>
</style:style>
<style:style style:name="Heading_20_1" style:display-name="Heading 1" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="1" style:class="text">
<style:paragraph-properties fo:padding-bottom="0.05cm" fo:border-bottom="1.5pt solid #d99a00"/>
<style:text-properties fo:font-size="15pt"/>
</style:style>
<style:style style:name="Heading_20_2" style:display-name="Heading 2" style:family="paragraph" style:parent-style-name="Heading" style:next-style-name="Text_20_body" style:default-outline-level="2" style:class="text">
<style:paragraph-properties fo:margin-top="0.4cm"/>
<style:text-properties fo:font-size="12.5pt"/>
</style:style>
<style:style style:name="Ruche_20_Question" style:display-name="Ruche Question" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text">
<style:paragraph-properties fo:margin-bottom="0.3cm"/>
<style:text-properties fo:font-size="12.5pt"/>
</style:style>
<style:style style:name="Ruche_20_Synthesis" style:display-name="Ruche Synthesis" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text">
<style:paragraph-properties fo:margin-left="0.3cm" fo:padding-left="0.3cm" fo:border-left="2pt solid #d99a00" fo:border-right="none" fo:border-top="none" fo:border-bottom="none"/>
</style:style>
<style:style style:name="Ruche_20_List" style:display-name="Ruche List" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="list">
<style:paragraph-properties fo:margin-bottom="0.1cm"/>
</style:style>
<style:style style:name="Ruche_20_Detail" style:display-name="Ruche Detail" style:family="paragraph" style:parent-style-name="Ruche_20_List" style:class="list">
<style:text-properties fo:color="#3d3d3d"/>
</style:style>
<style:style style:name="Table_20_Contents" style:display-name="Table Contents" style:family="paragraph" style:parent-style-name="Standard" style:class="extra"/>
<style:style style:name="Table_20_Heading" style:display-name="Table Heading" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">
<style:text-properties fo:font-weight="bold"/>
</style:style>
<style:style style:name="Ruche_20_Number" style:display-name="Ruche Number" style:family="paragraph" style:parent-style-name="Table_20_Contents" style:class="extra">
<style:paragraph-properties fo:text-align="end"/>
</style:style>
<style:style style:name="Ruche_20_Number_20_Heading" style:display-name="Ruche Number Heading" style:family="paragraph" style:parent-style-name="Table_20_Heading" style:class="extra">
<style:paragraph-properties fo:text-align="end"/>
</style:style>
<style:style style:name="Ruche_20_End" style:display-name="Ruche End" style:family="paragraph" style:parent-style-name="Text_20_body" style:class="text">
<style:paragraph-properties fo:margin-top="0.8cm" fo:padding-top="0.15cm" fo:border-top="0.5pt solid #999999" fo:border-bottom="none" fo:border-left="none" fo:border-right="none"/>
<style:text-properties fo:font-size="9pt" fo:color="#4a4a4a"/>
</style:style>
<style:style style:name="Footer" style:family="paragraph" style:parent-style-name="Standard" style:class="extra">
<style:paragraph-properties fo:text-align="center"/>
<style:text-properties fo:font-size="9pt"/>
</style:style>
<style:style style:name="Strong_20_Emphasis" style:display-name="Strong Emphasis" style:family="text">
<style:text-properties fo:font-weight="bold"/>
</style:style>
<style:style style:name="Emphasis" style:family="text">
<style:text-properties fo:font-style="italic"/>
</style:style>
<text:list-style style:name="Ruche_20_Numbers" style:display-name="Ruche Numbers">
<text:list-level-style-number text:level="1" style:num-suffix="." style:num-format="1">
<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.75cm" fo:text-indent="-0.75cm" fo:margin-left="0.75cm"/>
</style:list-level-properties>
</text:list-level-style-number>
<text:list-level-style-bullet text:level="2" text:bullet-char="–">
<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.25cm" fo:text-indent="-0.5cm" fo:margin-left="1.25cm"/>
</style:list-level-properties>
</text:list-level-style-bullet>
</text:list-style>
<text:list-style style:name="Ruche_20_Bullets" style:display-name="Ruche Bullets">
<text:list-level-style-bullet text:level="1" text:bullet-char="•">
<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="0.6cm" fo:text-indent="-0.5cm" fo:margin-left="0.6cm"/>
</style:list-level-properties>
</text:list-level-style-bullet>
<text:list-level-style-bullet text:level="2" text:bullet-char="–">
<style:list-level-properties text:list-level-position-and-space-mode="label-alignment">
<style:list-level-label-alignment text:label-followed-by="listtab" text:list-tab-stop-position="1.1cm" fo:text-indent="-0.5cm" fo:margin-left="1.1cm"/>
</style:list-level-properties>
</text:list-level-style-bullet>
</text:list-style>
</office:styles>
<office:automatic-styles>
<style:page-layout style:name="Ruche_Page">
<style:page-layout-properties fo:page-width="21cm" fo:page-height="29.7cm" style:print-orientation="portrait" fo:margin-top="1.8cm" fo:margin-bottom="1.5cm" fo:margin-left="2cm" fo:margin-right="2cm"/>
<style:footer-style><style:header-footer-properties fo:min-height="0cm" fo:margin-top="0.4cm"/></style:footer-style>
</style:page-layout>
</office:automatic-styles>
<office:master-styles>
<style:master-page style:name="Standard" style:page-layout-name="Ruche_Page">
<style:footer><text:p text:style-name="Footer"><text:page-number text:select-page="current">1</text:page-number></text:p></style:footer>
</style:master-page>
</office:master-styles>
</office:document-styles>
)";
    return out;
}

std::string meta_xml(const minutes& m, const detail::document& d, const minutes_options& options,
                     const language& lang) {
    std::string out(xml_declaration);
    out += "<office:document-meta xmlns:office=\"" + std::string(ns_office) + "\"";
    out += R"( xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0")";
    out += R"( xmlns:dc="http://purl.org/dc/elements/1.1/")";
    out += R"( office:version="1.3">)"
           "\n<office:meta>\n";
    out += "<meta:generator>Ruche</meta:generator>\n";
    out += "<dc:title>" + xml_text(d.title, quotes::escaped) + "</dc:title>\n";
    if (!d.subject.empty()) out += "<dc:subject>" + xml_text(d.subject, quotes::escaped) + "</dc:subject>\n";
    out += "<dc:language>" + lang.code + (lang.country.empty() ? "" : "-" + lang.country) +
           "</dc:language>\n";
    // The dates of the session, in its local time, so the file is the same
    // whenever it is exported.
    out += "<meta:creation-date>" +
           detail::iso_local_datetime(m.start_time, options.utc_offset_minutes) +
           "</meta:creation-date>\n";
    out += "<dc:date>" + detail::iso_local_datetime(m.end_time, options.utc_offset_minutes) +
           "</dc:date>\n";
    out += "</office:meta>\n</office:document-meta>\n";
    return out;
}

std::string manifest_xml(const std::vector<std::pair<std::string, std::string>>& pictures) {
    std::string out(xml_declaration);
    out +=
        R"(<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">
<manifest:file-entry manifest:full-path="/" manifest:version="1.3" manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="styles.xml" manifest:media-type="text/xml"/>
<manifest:file-entry manifest:full-path="meta.xml" manifest:media-type="text/xml"/>
)";
    for (const auto& [name, bytes] : pictures) {
        out += "<manifest:file-entry manifest:full-path=\"" + xml_text(name, quotes::escaped) +
               "\" manifest:media-type=\"image/jpeg\"/>\n";
    }
    out += "</manifest:manifest>\n";
    return out;
}

}  // namespace

odt_parts minutes_odt(const minutes& m, const minutes_options& options) {
    const detail::document d = detail::lay_out(m, options);
    const language lang = language_of(options.lang);
    odt_parts parts;
    parts.mimetype = "application/vnd.oasis.opendocument.text";
    content_writer content;
    parts.content_xml = content.render(d);
    parts.pictures = std::move(content.pictures);
    parts.manifest_xml = manifest_xml(parts.pictures);
    parts.styles_xml = styles_xml(lang);
    parts.meta_xml = meta_xml(m, d, options, lang);
    return parts;
}

}  // namespace ruche::protocol
