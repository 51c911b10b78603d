// What the minutes say, in which order, in the chosen language. The
// renderers (Markdown, HTML, OpenDocument) write this layout in their format.

#include "minutes_document.hpp"

#include <algorithm>

#include "minutes_text.hpp"

namespace ruche::protocol::detail {
namespace {

run strong(std::string s) {
    return {std::move(s), run::style::strong};
}
run em(std::string s) {
    return {std::move(s), run::style::emphasis};
}
run plain(std::string s) {
    return {std::move(s), run::style::plain};
}

// The minute a time falls in, as the clock shows it (9:32:50 shows 9 h 32).
std::int64_t shown_minute(std::int64_t t) {
    t = std::clamp(t, -time_limit, time_limit);
    const std::int64_t minute = 60'000;
    return (t >= 0 ? t / minute : (t - minute + 1) / minute) * minute;
}

// How long from `from` to `to`, as the clock times printed beside it say:
// "de 9 h 32 à 11 h 00" lasts 1 h 28 min, whatever the seconds were, and
// phases add up to the whole. Less than that minute shows as "< 1 min".
std::int64_t span(std::int64_t from, std::int64_t to) {
    const std::int64_t shown = shown_minute(to) - shown_minute(from);
    if (shown == 0 && std::clamp(to, -time_limit, time_limit) > std::clamp(from, -time_limit, time_limit)) {
        return 1;
    }
    return shown;
}

bool blank(std::string_view s) {
    return s.find_first_not_of(" \t\n") == std::string_view::npos;
}

// Text as people typed it, tidied for reading: each line trimmed, no blank
// line at either end and never two in a row (they separate paragraphs).
std::string tidy(std::string_view text) {
    std::string out;
    bool pending_blank = false;
    for (auto l : split_lines(text)) {
        const auto first = l.find_first_not_of(" \t");
        if (first == std::string_view::npos) {
            pending_blank = !out.empty();
            continue;
        }
        l = l.substr(first, l.find_last_not_of(" \t") - first + 1);
        if (!out.empty()) out += pending_blank ? "\n\n" : "\n";
        pending_blank = false;
        out += l;
    }
    return out;
}

class layout {
  public:
    layout(const minutes& m, const minutes_options& options) : m_(m), t_(options) {}

    document build() {
        d_.lang = t_.options().lang;
        d_.title = t_("minutes.document_title", {{"title", title()}});
        d_.subject = tidy(m_.question);
        front_matter();
        attendance();
        phases();
        walk();
        categories();
        top();
        themes();
        ungrouped();
        add(block::kind::rule);
        paragraph({em(t_("minutes.footer"))}, block_role::footer);
        return std::move(d_);
    }

  private:
    block& add(block::kind k) {
        d_.blocks.push_back({});
        d_.blocks.back().type = k;
        return d_.blocks.back();
    }
    void heading(std::string text, int level) {
        auto& b = add(block::kind::heading);
        b.level = level;
        b.text = {plain(std::move(text))};
    }
    void paragraph(line text, block_role purpose = block_role::none) {
        auto& b = add(block::kind::paragraph);
        b.text = std::move(text);
        b.purpose = purpose;
    }
    // "Label : value" with the label in bold.
    line field(std::string_view key, std::string value) const {
        return {strong(t_.label(key)), plain(" " + std::move(value))};
    }
    std::string name_of(const minutes_person& p) const {
        std::string name = tidy(p.name);
        return name.empty() ? t_("minutes.unnamed") : name;
    }
    std::string title() const {
        std::string title = tidy(m_.title);
        return title.empty() ? t_("minutes.untitled") : title;
    }

    void front_matter() {
        add(block::kind::title).text = {plain(title())};
        paragraph({em(t_("minutes.heading"))}, block_role::subtitle);
        if (!blank(m_.question)) {
            paragraph(field("minutes.question", tidy(m_.question)), block_role::question);
        }

        auto& summary = add(block::kind::bullets);
        summary.purpose = block_role::summary;
        const auto& o = t_.options();
        summary.items.push_back({field("minutes.date", format_date(m_.start_time, o)), {}});
        summary.items.push_back(
            {field("minutes.hours",
                   t_("minutes.hours_value",
                      {{"start", format_clock(m_.start_time, o)},
                       {"end", format_clock(m_.end_time, o)},
                       {"duration", format_duration(span(m_.start_time, m_.end_time), o)}})),
             {}});
        if (!o.time_zone.empty()) {
            summary.items.push_back({field("minutes.time_zone", o.time_zone), {}});
        }
        std::string people = t_.plural("minutes.n_participants", m_.participant_count);
        if (m_.without_phone > 0) {
            people = t_("minutes.people_without_phone",
                        {{"people", people},
                         {"without", t_.plural("minutes.n_without_phone", m_.without_phone)}});
        }
        summary.items.push_back({field("minutes.people", std::move(people)), {}});
        const auto ideas = static_cast<std::uint64_t>(m_.ranked_notes.size());
        std::string ideas_text = t_.plural("minutes.n_ideas", ideas);
        if (m_.ideas_written > ideas) {
            ideas_text = t_("minutes.ideas_merged",
                            {{"ideas", ideas_text},
                             {"notes", t_.plural("minutes.n_notes_written", m_.ideas_written)}});
        }
        summary.items.push_back({field("minutes.ideas", std::move(ideas_text)), {}});
        summary.items.push_back(
            {field("minutes.votes", t_("minutes.votes_value",
                                       {{"votes", t_.plural("minutes.n_votes_cast", m_.votes_cast)},
                                        {"budget", t_.number(m_.vote_budget)}})),
             {}});
        if (m_.erase_time != 0) {
            summary.items.push_back(
                {field("minutes.retention",
                       t_("minutes.retention_value",
                          {{"date", format_date(m_.erase_time, o)},
                           {"days", t_.plural("minutes.n_days", m_.retention_days)}})),
                 {}});
        }
    }

    void attendance() {
        heading(t_("minutes.section.attendance"), 1);
        if (m_.participant_count == 0) {
            paragraph({em(t_("minutes.no_participants"))});
        } else {
            auto& b = add(block::kind::table);
            b.grid.header = {t_("minutes.profile"), t_("minutes.people_count")};
            b.grid.numeric = {false, true};
            for (const auto& row : m_.attendance) {
                b.grid.rows.push_back(
                    {{plain(t_.profile(row.profile))}, {plain(t_.number(row.count))}});
            }
            b.grid.rows.push_back(
                {{strong(t_("minutes.total"))}, {strong(t_.number(m_.participant_count))}});
            if (m_.without_phone > 0) {
                paragraph({em(t_.plural("minutes.without_phone_note", m_.without_phone))});
            }
        }
        if (!m_.facilitators.empty()) {
            std::string names;
            for (const auto& p : m_.facilitators) {
                if (!names.empty()) names += ", ";
                names += name_of(p);
            }
            paragraph(field("minutes.facilitation", std::move(names)), block_role::people);
        }
        if (m_.anonymous) {
            paragraph({em(t_("minutes.anonymous_note"))}, block_role::people);
            return;
        }
        if (!m_.participants.empty()) {
            paragraph({strong(t_.label("minutes.participant_list"))}, block_role::people);
            auto& list = add(block::kind::bullets);
            list.purpose = block_role::people;
            for (const auto& p : m_.participants) {
                std::string who =
                    p.profile ? t_("minutes.person_profile",
                                   {{"name", name_of(p)}, {"profile", t_.profile(p.profile)}})
                              : name_of(p);
                list.items.push_back({{plain(std::move(who))}, {}});
            }
        }
    }

    void phases() {
        heading(t_("minutes.section.phases"), 1);
        auto& b = add(block::kind::table);
        b.grid.header = {t_("minutes.phase"), t_("minutes.start"), t_("minutes.duration")};
        b.grid.numeric = {false, false, true};
        const auto& o = t_.options();
        for (std::size_t i = 0; i < m_.phases.size(); ++i) {
            const auto& p = m_.phases[i];
            // The final closing is a moment, not a phase with a length.
            const bool closing = p.phase == phase::closed && i + 1 == m_.phases.size();
            b.grid.rows.push_back(
                {{plain(t_.phase(p.phase))},
                 {plain(format_clock(p.start, o))},
                 {plain(closing ? "—" : format_duration(span(p.start, p.end), o))}});
        }
    }

    line idea_line(const minutes_note& n, bool highlight, bool with_theme) const {
        line out;
        out.push_back(highlight ? strong(tidy(n.text)) : plain(tidy(n.text)));
        std::string meta = " — " + t_.plural("minutes.n_votes", n.votes);
        if (n.written > 1) meta += " · " + t_("minutes.written", {{"n", t_.number(n.written)}});
        if (n.category) meta += " · " + tidy(*n.category);
        if (with_theme && n.theme_title) {
            meta += " · " + t_("minutes.in_theme", {{"title", tidy(*n.theme_title)}});
        }
        if (with_theme && n.stop_name) {
            meta += " · " + t_("minutes.at_stop", {{"name", tidy(*n.stop_name)}});
        }
        out.push_back(plain(std::move(meta)));
        return out;
    }

    // A walk, stop by stop: where, what was asked there, what was seen.
    void walk() {
        if (m_.stops.empty()) return;
        heading(t_("minutes.section.walk"), 1);
        std::uint64_t number = 0;
        for (const auto& st : m_.stops) {
            const bool on_route = !st.name.empty();
            const std::string ideas = t_.plural("minutes.n_ideas", st.notes.size());
            heading(on_route ? t_("minutes.stop_heading",
                                  {{"n", t_.number(++number)}, {"name", tidy(st.name)}, {"ideas", ideas}})
                             : t_("minutes.off_route", {{"ideas", ideas}}),
                    2);
            if (!blank(st.question)) paragraph(field("minutes.question", tidy(st.question)), block_role::question);
            if (st.place) {
                paragraph({strong(t_.label("minutes.place")), plain(" " + format_place(*st.place) + " — "),
                           plain(map_link(*st.place))});
            }
            if (!m_.categories.empty() && !st.notes.empty()) {
                paragraph({em(t_.label("minutes.by_category")),
                           plain(" " + category_counts(st.category_counts, st.without_category))});
            }
            if (st.notes.empty()) {
                paragraph({em(t_("minutes.no_stop_notes"))});
                continue;
            }
            auto& list = add(block::kind::numbered);
            for (const auto& n : st.notes) list.items.push_back(idea_item(n, false, false));
            gallery(st.notes);
        }
    }

    // The photos of these ideas that the caller gave, in the ideas' order.
    void gallery(const std::vector<minutes_note>& notes) {
        const auto* given = t_.options().pictures;
        if (!given) return;
        std::vector<picture> shown;
        for (const auto& n : notes) {
            if (!n.photo) continue;
            const auto it = given->find(*n.photo);
            if (it == given->end() || it->second.jpeg.empty()) continue;
            std::string caption = tidy(n.text);
            std::string alt = t_("minutes.photo_alt", {{"text", caption}});
            shown.push_back({&it->second, std::move(caption), std::move(alt), "Pictures/" + *n.photo + ".jpg"});
        }
        if (shown.empty()) return;
        add(block::kind::gallery).pictures = std::move(shown);
    }

    // "Atout (2), Difficulté (3), sans catégorie (1)": the categories that
    // have notes.
    std::string category_counts(const std::vector<std::uint32_t>& counts, std::uint32_t without) const {
        std::string out;
        const auto add_count = [&](const std::string& label, std::uint32_t n) {
            if (n == 0) return;
            if (!out.empty()) out += ", ";
            out += label + " (" + t_.number(n) + ")";
        };
        for (std::size_t i = 0; i < counts.size() && i < m_.categories.size(); ++i) {
            add_count(tidy(m_.categories[i]), counts[i]);
        }
        add_count(t_("minutes.no_category"), without);
        return out;
    }

    void categories() {
        if (m_.categories.empty()) return;
        heading(t_("minutes.section.categories"), 1);
        auto& b = add(block::kind::table);
        b.grid.header = {t_("minutes.category"), t_("minutes.ideas_count")};
        b.grid.numeric = {false, true};
        for (std::size_t i = 0; i < m_.categories.size() && i < m_.category_totals.size(); ++i) {
            b.grid.rows.push_back({{plain(tidy(m_.categories[i]))}, {plain(t_.number(m_.category_totals[i]))}});
        }
        if (m_.without_category > 0) {
            b.grid.rows.push_back({{em(t_("minutes.no_category"))}, {plain(t_.number(m_.without_category))}});
        }
    }

    list_item idea_item(const minutes_note& n, bool highlight, bool with_theme) const {
        list_item item{idea_line(n, highlight, with_theme), {}};
        for (const auto& w : n.other_wordings) {
            item.details.push_back({em(t_.label("minutes.other_wording")), plain(" " + tidy(w))});
        }
        return item;
    }

    void top() {
        heading(t_("minutes.section.top"), 1);
        const auto best = top_ideas(m_, t_.options());
        if (best.empty()) {
            paragraph({em(t_("minutes.no_votes"))});
            return;
        }
        auto& list = add(block::kind::numbered);
        for (const auto& n : best) {
            list_item item{idea_line(n, true, true), {}};
            list.items.push_back(std::move(item));
        }
    }

    void themes() {
        heading(t_("minutes.section.themes"), 1);
        if (m_.themes.empty()) {
            paragraph({em(t_("minutes.no_themes"))});
            return;
        }
        paragraph({em(t_("minutes.themes_intro"))}, block_role::intro);
        std::uint64_t rank = 0;
        for (const auto& th : m_.themes) {
            std::string votes = t_.plural("minutes.n_votes", th.score);
            if (th.own_votes > 0) {
                votes = t_("minutes.theme_votes_own",
                           {{"votes", votes}, {"own", t_.number(th.own_votes)}});
            }
            heading(t_("minutes.theme_heading",
                       {{"rank", t_.number(++rank)}, {"title", tidy(th.title)}, {"votes", votes}}),
                    2);
            if (!th.profiles.empty()) {
                paragraph(
                    {em(t_.label("minutes.crossed_views")), plain(" " + t_.profiles(th.profiles))},
                    block_role::theme_views);
            }
            if (!blank(th.synthesis)) {
                paragraph({strong(t_("minutes.synthesis"))});
                add(block::kind::quote).text = {plain(tidy(th.synthesis))};
            }
            if (!th.actions.empty()) {
                paragraph({strong(t_("minutes.action_plan"))});
                auto& plan = add(block::kind::table);
                plan.grid.header = {t_("minutes.action.what"), t_("minutes.action.who"),
                                    t_("minutes.action.when")};
                plan.grid.numeric = {false, false, false};
                for (const auto& a : th.actions) {
                    plan.grid.rows.push_back(
                        {{plain(tidy(a.what))}, {plain(tidy(a.who))}, {plain(tidy(a.when))}});
                }
            }
            if (th.notes.empty()) {
                paragraph({em(t_("minutes.empty_theme"))});
                continue;
            }
            paragraph({strong(t_("minutes.theme_ideas"))});
            auto& list = add(block::kind::numbered);
            for (const auto& n : th.notes) list.items.push_back(idea_item(n, false, false));
        }
    }

    void ungrouped() {
        if (m_.ungrouped.empty()) return;
        heading(t_("minutes.section.ungrouped"), 1);
        auto& list = add(block::kind::bullets);
        for (const auto& n : m_.ungrouped) list.items.push_back(idea_item(n, false, false));
    }

    const minutes& m_;
    minutes_text t_;
    document d_;
};

}  // namespace

document lay_out(const minutes& m, const minutes_options& options) {
    return layout(m, options).build();
}

}  // namespace ruche::protocol::detail
