// The minutes model: what the renderers show, computed once from the final
// board and its log. It holds no participant id, and no name at all when the
// session is anonymous, so no renderer can leak one.

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "minutes_text.hpp"
#include "ruche/minutes/minutes.hpp"

namespace ruche::protocol {
namespace {

using detail::time_limit;

std::int64_t clamp_time(std::int64_t t) {
    return std::clamp(t, -time_limit, time_limit);
}

// Counts per profile, canonical order first, "not given" last.
class profile_tally {
  public:
    void add(const std::optional<profile>& p, std::uint32_t n = 1) {
        counts_[p ? static_cast<std::size_t>(*p) : none] += n;
    }
    void add(const std::vector<profile_count>& counts) {
        for (const auto& c : counts) add(c.profile, c.count);
    }
    std::vector<profile_count> list() const {
        std::vector<profile_count> out;
        for (const auto p : all_profiles) {
            if (const auto n = counts_[static_cast<std::size_t>(p)]) out.push_back({p, n});
        }
        if (counts_[none]) out.push_back({std::nullopt, counts_[none]});
        return out;
    }

  private:
    static constexpr std::size_t none = std::size(all_profiles);
    std::array<std::uint32_t, none + 1> counts_{};
};

// Ideas with more dots first; equal scores keep the order of creation.
bool ranks_before(const minutes_note& a, const minutes_note& b) {
    return std::tie(b.votes, a.created_seq) < std::tie(a.votes, b.created_seq);
}
bool ranks_before(const minutes_theme& a, const minutes_theme& b) {
    return std::tie(b.score, a.created_seq) < std::tie(a.score, b.created_seq);
}

class builder {
  public:
    builder(const board& b, const std::vector<stamped_op>& log, std::uint32_t threshold)
        : b_(b), log_(log), threshold_(threshold), headcount_(profile_headcount(b)) {
        // The profile given to each note written on someone's behalf. A merge
        // drops the duplicate's profile from the state; the log still has it.
        for (const auto& s : log) {
            if (const auto* add = std::get_if<ops::note_add>(&s.op)) {
                given_profile_[add->note] = add->profile;
            }
        }
    }

    minutes build() {
        minutes m;
        m.title = b_.settings.title;
        m.question = b_.settings.question;
        m.anonymous = b_.settings.anonymous;
        m.vote_budget = b_.settings.vote_budget;
        times(m);
        phases(m);
        attendance(m);
        ideas(m);
        walk(m);
        return m;
    }

  private:
    void times(minutes& m) {
        const std::int64_t first = clamp_time(log_.empty() ? b_.created_time : log_.front().time);
        const std::int64_t last = clamp_time(log_.empty() ? b_.updated_time : log_.back().time);
        // The meeting starts when the first participant arrives: the session
        // is often created, and its board opened, well before.
        std::int64_t start = first;
        for (const auto& s : log_) {
            const auto* join = std::get_if<ops::participant_join>(&s.op);
            if (join && join->role == role::participant) {
                start = clamp_time(s.time);
                break;
            }
        }
        // It ends when it is closed: presence ops and a synthesis finished
        // later do not count.
        std::int64_t end = last;
        if (b_.phase == phase::closed && !b_.phases.empty())
            end = clamp_time(b_.phases.back().time);
        if (start > end) start = std::min(first, end);
        if (start > end) end = start;
        m.start_time = start;
        m.end_time = end;
    }

    void phases(minutes& m) {
        // The board starts in `writing` at its first op; `phases` lists changes.
        std::vector<phase_change> changes;
        changes.push_back(
            {phase::writing, 0, clamp_time(log_.empty() ? b_.created_time : log_.front().time)});
        changes.insert(changes.end(), b_.phases.begin(), b_.phases.end());
        for (std::size_t i = 0; i < changes.size(); ++i) {
            const bool last = i + 1 == changes.size();
            const std::int64_t from = std::max(clamp_time(changes[i].time), m.start_time);
            const std::int64_t to =
                last ? m.end_time : std::min(clamp_time(changes[i + 1].time), m.end_time);
            // Spans outside the meeting, and instants between two changes,
            // are not phases anyone lived through. The final one stays: it
            // says how the session ended.
            if (to < from || (to == from && !last)) continue;
            if (!m.phases.empty() && m.phases.back().phase == changes[i].phase) {
                m.phases.back().end = to;
                continue;
            }
            m.phases.push_back({changes[i].phase, from, to});
        }
    }

    void attendance(minutes& m) {
        profile_tally tally;
        std::vector<const participant*> people;
        for (const auto& [id, p] : b_.participants) {
            if (p.role == role::participant) {
                tally.add(p.profile);
                ++m.participant_count;
            }
            people.push_back(&p);
        }
        for (const auto& [p, count] : b_.scribe_attendance) {
            tally.add(p, count);
            m.participant_count += count;
            m.without_phone += count;
        }
        m.attendance = tally.list();
        std::sort(people.begin(), people.end(), [](const participant* a, const participant* b) {
            return std::tie(a->joined_time, a->id) < std::tie(b->joined_time, b->id);
        });
        for (const auto* p : people) {
            if (p->role == role::facilitator) {
                m.facilitators.push_back({p->name, std::nullopt});
            } else if (!m.anonymous) {
                m.participants.push_back({p->name, p->profile});
            }
        }
    }

    // What an anonymous session's minutes may say of one idea's profiles: a
    // profile too few people had counts as not given, as it does in exports.
    std::vector<profile_count> shareable(std::vector<profile_count> counts) const {
        if (!b_.settings.anonymous) return counts;
        profile_tally tally;
        for (const auto& c : counts) {
            const auto n = c.profile ? headcount_.find(*c.profile) : headcount_.end();
            const bool known = n != headcount_.end() && n->second >= threshold_;
            tally.add(known ? c.profile : std::nullopt, c.count);
        }
        return tally.list();
    }

    // The profile behind one wording: the one the facilitator gave when
    // writing for someone, otherwise the author's own.
    std::optional<profile> profile_of(const std::string& author,
                                      const std::optional<profile>& given) const {
        if (given) return given;
        const auto it = b_.participants.find(author);
        return it == b_.participants.end() ? std::nullopt : it->second.profile;
    }

    minutes_note idea(const note& n) const {
        minutes_note out;
        out.text = n.text;
        out.votes = total(n.votes);
        out.written = static_cast<std::uint32_t>(1 + n.merged.size());
        out.created_seq = n.created_seq;
        profile_tally tally;
        tally.add(profile_of(n.author, n.profile));
        for (const auto& dup : n.merged) {
            const auto given = given_profile_.find(dup.id);
            tally.add(profile_of(dup.author,
                                 given == given_profile_.end() ? std::nullopt : given->second));
            // A wording identical to one already shown adds nothing to read.
            const bool seen = dup.text == n.text ||
                              std::find(out.other_wordings.begin(), out.other_wordings.end(),
                                        dup.text) != out.other_wordings.end();
            if (!seen) out.other_wordings.push_back(dup.text);
        }
        out.profiles = tally.list();
        if (n.theme) {
            if (const auto t = b_.themes.find(*n.theme); t != b_.themes.end()) {
                out.theme_title = t->second.title;
            }
        }
        if (n.stop) {
            if (const auto st = b_.stops.find(*n.stop); st != b_.stops.end()) out.stop_name = st->second.name;
        }
        if (n.category && *n.category < b_.settings.categories.size()) {
            out.category = b_.settings.categories[*n.category];
        }
        out.location = n.location;
        out.photo = n.photo;
        return out;
    }

    // The walk: each stop in route order with its ideas and their
    // categories, then the ideas written at no stop.
    void walk(minutes& m) const {
        m.categories = b_.settings.categories;
        if (b_.stops.empty() && m.categories.empty()) return;
        const auto categories = m.categories.size();
        m.category_totals.assign(categories, 0);
        std::map<std::string, std::size_t, std::less<>> index;
        for (const auto* st : route(b_)) {
            index[st->id] = m.stops.size();
            m.stops.push_back({st->name, st->question, st->place, std::vector<std::uint32_t>(categories, 0), 0, {}});
        }
        minutes_stop off_route{"", "", std::nullopt, std::vector<std::uint32_t>(categories, 0), 0, {}};
        for (const auto& [id, n] : b_.notes) {
            const auto at = n.stop ? index.find(*n.stop) : index.end();
            minutes_stop& where = at == index.end() ? off_route : m.stops[at->second];
            minutes_note i = idea(n);
            i.profiles = shareable(std::move(i.profiles));
            if (n.category && *n.category < categories) {
                ++where.category_counts[*n.category];
                ++m.category_totals[*n.category];
            } else {
                ++where.without_category;
                ++m.without_category;
            }
            where.notes.push_back(std::move(i));
        }
        if (!off_route.notes.empty() && !m.stops.empty()) m.stops.push_back(std::move(off_route));
        for (auto& st : m.stops) {
            std::stable_sort(st.notes.begin(), st.notes.end(),
                             [](const auto& a, const auto& b) { return ranks_before(a, b); });
        }
    }

    void ideas(minutes& m) {
        std::map<std::string, std::vector<minutes_note>, std::less<>> by_theme;
        for (const auto& [id, n] : b_.notes) {
            minutes_note i = idea(n);
            m.ideas_written += i.written;
            m.votes_cast += i.votes;
            if (i.theme_title) {
                by_theme[*n.theme].push_back(i);
            } else {
                m.ungrouped.push_back(i);
            }
            i.profiles = shareable(std::move(i.profiles));
            m.ranked_notes.push_back(std::move(i));
        }
        for (auto& i : m.ungrouped) i.profiles = shareable(std::move(i.profiles));
        for (const auto& [id, t] : b_.themes) {
            minutes_theme out;
            out.title = t.title;
            out.synthesis = t.synthesis;
            out.own_votes = total(t.votes);
            out.score = out.own_votes;
            out.created_seq = t.created_seq;
            m.votes_cast += out.own_votes;
            profile_tally tally;
            if (auto notes = by_theme.find(id); notes != by_theme.end()) {
                out.notes = std::move(notes->second);
            }
            // "Regards croisés" count every wording; each idea alone says
            // only what it may.
            for (auto& i : out.notes) {
                out.score += i.votes;
                tally.add(i.profiles);
                i.profiles = shareable(std::move(i.profiles));
            }
            out.profiles = tally.list();
            std::vector<const action*> plan;
            for (const auto& [aid, a] : b_.actions) {
                if (a.theme == id) plan.push_back(&a);
            }
            std::sort(plan.begin(), plan.end(),
                      [](const action* a, const action* b) { return a->created_seq < b->created_seq; });
            for (const auto* a : plan) out.actions.push_back({a->what, a->who, a->when});
            std::stable_sort(out.notes.begin(), out.notes.end(),
                             [](const auto& a, const auto& b) { return ranks_before(a, b); });
            m.themes.push_back(std::move(out));
        }
        const auto by_rank = [](const auto& a, const auto& b) { return ranks_before(a, b); };
        std::stable_sort(m.themes.begin(), m.themes.end(), by_rank);
        std::stable_sort(m.ranked_notes.begin(), m.ranked_notes.end(), by_rank);
        std::stable_sort(m.ungrouped.begin(), m.ungrouped.end(), by_rank);
    }

    const board& b_;
    const std::vector<stamped_op>& log_;
    std::uint32_t threshold_;
    std::map<profile, std::uint32_t> headcount_;
    std::map<std::string, std::optional<profile>, std::less<>> given_profile_;
};

}  // namespace

minutes build_minutes(const board& final_state, const std::vector<stamped_op>& log,
                      std::uint32_t anonymity_threshold, std::uint32_t server_retention_days) {
    minutes m = builder(final_state, log, anonymity_threshold).build();
    m.erase_time = erase_time(final_state, server_retention_days);
    if (m.erase_time != 0) m.retention_days = retention_days(final_state.settings, server_retention_days);
    return m;
}

std::map<profile, std::uint32_t> profile_headcount(const board& b) {
    std::map<profile, std::uint32_t> count;
    for (const auto& [id, p] : b.participants) {
        if (p.role == role::participant && p.profile) ++count[*p.profile];
    }
    for (const auto& [p, n] : b.scribe_attendance) count[p] += n;
    return count;
}

std::vector<stamped_op> anonymized_log(const board& final_state, const std::vector<stamped_op>& log,
                                       std::uint32_t anonymity_threshold) {
    if (!final_state.settings.anonymous) return log;
    const auto headcount = profile_headcount(final_state);
    const auto keep = [&](std::optional<profile>& p) {
        if (!p) return;
        const auto n = headcount.find(*p);
        if (n == headcount.end() || n->second < anonymity_threshold) p.reset();
    };
    std::vector<stamped_op> out = log;
    for (auto& s : out) {
        // Facilitators keep their names, as the minutes give them; they
        // count in no profile.
        if (auto* join = std::get_if<ops::participant_join>(&s.op)) {
            if (join->role == role::facilitator) {
                join->profile.reset();
            } else {
                join->name.clear();
                keep(join->profile);
            }
        } else if (auto* rename = std::get_if<ops::participant_rename>(&s.op)) {
            const auto who = final_state.participants.find(s.by);
            if (who != final_state.participants.end() && who->second.role == role::facilitator) {
                rename->profile.reset();
            } else {
                rename->name.clear();
                keep(rename->profile);
            }
        } else if (auto* add = std::get_if<ops::note_add>(&s.op)) {
            keep(add->profile);
        }
    }
    return out;
}

std::vector<minutes_note> top_ideas(const minutes& m, const minutes_options& options) {
    std::vector<minutes_note> out;
    for (const auto& n : m.ranked_notes) {
        if (out.size() >= options.top_ideas || n.votes == 0) break;
        out.push_back(n);
    }
    return out;
}

}  // namespace ruche::protocol
