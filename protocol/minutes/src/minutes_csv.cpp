// The ideas of the minutes as a CSV table for spreadsheets set up for French:
// UTF-8 with a byte order mark (so Excel reads the accents), ';' between
// cells, CRLF between rows, RFC 4180 quoting. One row per idea, themes in
// their ranking and ideas ranked within them, then the ideas outside any
// theme. Counts are plain digits so spreadsheets read them as numbers.

#include <string>
#include <string_view>
#include <vector>

#include "minutes_text.hpp"

namespace ruche::protocol {
namespace {

// A cell a spreadsheet could take for a formula (= + - @, or a leading tab
// or carriage return) starts with an apostrophe, which makes it text.
// Separators, quotes and line breaks put the cell in quotes, quotes doubled.
std::string cell(std::string_view text) {
    std::string value;
    if (!text.empty()) {
        const char c = text.front();
        if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') value = "'";
    }
    value += text;
    if (value.find_first_of(";,\"\n\r") == std::string::npos) return value;
    std::string quoted = "\"";
    for (const char c : value) {
        if (c == '"') quoted += '"';
        quoted += c;
    }
    quoted += '"';
    return quoted;
}

std::string join_lines(const std::vector<std::string>& lines) {
    std::string out;
    for (const auto& l : lines) {
        if (!out.empty()) out += '\n';
        out += l;
    }
    return out;
}

class csv_writer {
  public:
    explicit csv_writer(const minutes_options& options) : t_(options) {}

    std::string render(const minutes& m) {
        out_ = "\xEF\xBB\xBF";
        row({t_("minutes.csv.theme"), t_("minutes.csv.theme_votes"), t_("minutes.csv.idea"),
             t_("minutes.csv.votes"), t_("minutes.csv.written"), t_("minutes.csv.profiles"),
             t_("minutes.csv.other_wordings"), t_("minutes.action.what"),
             t_("minutes.action.who"), t_("minutes.action.when")});
        for (const auto& th : m.themes) {
            const std::string score = std::to_string(th.score);
            if (th.notes.empty() && th.actions.empty()) {
                row({th.title, score, "", "", "", "", "", "", "", ""});
            }
            for (const auto& n : th.notes) idea(th.title, score, n);
            // The action plan: one row per action, under the theme's ideas.
            for (const auto& a : th.actions) {
                row({th.title, score, "", "", "", "", "", a.what, a.who, a.when});
            }
        }
        for (const auto& n : m.ungrouped) idea(t_("minutes.no_theme"), "", n);
        return std::move(out_);
    }

  private:
    void idea(const std::string& theme, const std::string& score, const minutes_note& n) {
        row({theme, score, n.text, std::to_string(n.votes), std::to_string(n.written),
             t_.profiles(n.profiles), join_lines(n.other_wordings), "", "", ""});
    }

    void row(const std::vector<std::string>& cells) {
        bool first = true;
        for (const auto& c : cells) {
            if (!first) out_ += ';';
            out_ += cell(c);
            first = false;
        }
        out_ += "\r\n";
    }

    detail::minutes_text t_;
    std::string out_;
};

}  // namespace

std::string minutes_csv(const minutes& m, const minutes_options& options) {
    return csv_writer(options).render(m);
}

}  // namespace ruche::protocol
