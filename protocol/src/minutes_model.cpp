// The minutes model: what the renderers show, computed once from the final
// board and its log. It holds no participant id, and no name at all when the
// session is anonymous, so no renderer can leak one.

#include <algorithm>
#include <array>
#include <map>
#include <tuple>

#include "minutes_text.hpp"
#include "ruche/protocol/minutes.hpp"

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
    builder(const board& b, const std::vector<stamped_op>& log) : b_(b), log_(log) {
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
        m.attendance = tally.list();
        if (m.anonymous) return;
        std::sort(people.begin(), people.end(), [](const participant* a, const participant* b) {
            return std::tie(a->joined_time, a->id) < std::tie(b->joined_time, b->id);
        });
        for (const auto* p : people) {
            auto& list = p->role == role::participant ? m.participants : m.facilitators;
            list.push_back({p->name, p->profile});
        }
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
        return out;
    }

    void ideas(minutes& m) {
        std::map<std::string, std::vector<minutes_note>, std::less<>> by_theme;
        for (const auto& [id, n] : b_.notes) {
            minutes_note i = idea(n);
            m.ideas_written += i.written;
            m.votes_cast += i.votes;
            m.ranked_notes.push_back(i);
            if (i.theme_title) {
                by_theme[*n.theme].push_back(std::move(i));
            } else {
                m.ungrouped.push_back(std::move(i));
            }
        }
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
            for (const auto& i : out.notes) {
                out.score += i.votes;
                tally.add(i.profiles);
            }
            out.profiles = tally.list();
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
    std::map<std::string, std::optional<profile>, std::less<>> given_profile_;
};

}  // namespace

minutes build_minutes(const board& final_state, const std::vector<stamped_op>& log) {
    return builder(final_state, log).build();
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
