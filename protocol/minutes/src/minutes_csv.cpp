// The ideas of the minutes as a CSV table for spreadsheets set up for French:
// UTF-8 with a byte order mark (so Excel reads the accents), ';' between
// cells, CRLF between rows, RFC 4180 quoting. One row per idea, themes in
// their ranking and ideas ranked within them, then the ideas outside any
// theme. Counts are plain digits so spreadsheets read them as numbers.

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "minutes_text.hpp"

namespace ruche::protocol {
namespace {

// "-2.35301": a plain number (a longitude west of Greenwich), which no
// spreadsheet reads as a formula.
bool plain_number(std::string_view text) {
    if (!text.empty() && text.front() == '-') text.remove_prefix(1);
    if (text.empty() || text.front() == '.') return false;
    bool point = false;
    for (const char c : text) {
        if (c == '.' && !point) {
            point = true;
        } else if (c < '0' || c > '9') {
            return false;
        }
    }
    return true;
}

// A cell a spreadsheet could take for a formula (= + - @, or a leading tab
// or carriage return) starts with an apostrophe, which makes it text; a
// plain number stays a number. Separators, quotes and line breaks put the
// cell in quotes, quotes doubled.
std::string cell(std::string_view text) {
    std::string value;
    if (!text.empty() && !plain_number(text)) {
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
        // A walk's rows say where too: its stop, category and position (the
        // columns a GIS tool asks for); a brainstorm's table is unchanged.
        walk_ = !m.stops.empty() || !m.categories.empty();
        std::vector<std::string> header = {
            t_("minutes.csv.theme"),          t_("minutes.csv.theme_votes"), t_("minutes.csv.idea"),
            t_("minutes.csv.votes"),          t_("minutes.csv.written"),     t_("minutes.csv.profiles"),
            t_("minutes.csv.other_wordings"), t_("minutes.action.what"),     t_("minutes.action.who"),
            t_("minutes.action.when")};
        if (walk_) {
            for (const char* key : {"minutes.csv.stop", "minutes.csv.category", "minutes.csv.latitude",
                                    "minutes.csv.longitude"}) {
                header.push_back(t_(key));
            }
        }
        row(std::move(header));
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
        std::vector<std::string> cells = {theme, score, n.text, std::to_string(n.votes), std::to_string(n.written),
                                          t_.profiles(n.profiles), join_lines(n.other_wordings), "", "", ""};
        if (walk_) {
            cells.push_back(n.stop_name.value_or(""));
            cells.push_back(n.category.value_or(""));
            cells.push_back(n.location ? detail::format_degrees(n.location->lat) : "");
            cells.push_back(n.location ? detail::format_degrees(n.location->lon) : "");
        }
        row(std::move(cells));
    }

    void row(std::vector<std::string> cells) {
        // Every row of a walk's table has its last four cells, empty or not.
        if (walk_) cells.resize(std::max<std::size_t>(cells.size(), walk_columns));
        bool first = true;
        for (const auto& c : cells) {
            if (!first) out_ += ';';
            out_ += cell(c);
            first = false;
        }
        out_ += "\r\n";
    }

    static constexpr std::size_t walk_columns = 14;
    detail::minutes_text t_;
    std::string out_;
    bool walk_ = false;
};

}  // namespace

std::string minutes_csv(const minutes& m, const minutes_options& options) {
    return csv_writer(options).render(m);
}

}  // namespace ruche::protocol
