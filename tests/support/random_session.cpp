#include "random_session.hpp"

#include <array>
#include <iterator>
#include <string>

namespace ruche::testing {

using namespace protocol;

namespace {

constexpr std::array<const char*, 12> sample_texts = {
    "Créer un café des aidants",
    "Des bancs le long de l'avenue pour se reposer",
    "Un minibus solidaire pour aller au marché le samedi",
    "Visites de convivialité à domicile par des bénévoles",
    "Ateliers numériques à la médiathèque",
    "Je ne connais pas mes voisins",
    "Repas partagés intergénérationnels 🙂",
    "Plus de lumière dans la rue Jean-Jaurès le soir",
    "Un numéro unique pour les démarches",
    "Les trottoirs sont trop étroits pour les fauteuils",
    "Jardin partagé au pied des immeubles",
    "Informer sur les aides existantes",
};

template <typename Map>
std::string nth_key(const Map& m, std::size_t i) {
    auto it = m.begin();
    std::advance(it, static_cast<std::ptrdiff_t>(i % m.size()));
    return it->first;
}

}  // namespace

random_session::random_session(std::uint32_t seed, int participants) : rng_(seed) {
    people_.push_back("f1");
    for (int i = 1; i <= participants; ++i) people_.push_back("p" + std::to_string(i));
}

std::string random_session::pick_actor() {
    std::uniform_int_distribution<std::size_t> d(0, people_.size() - 1);
    // The facilitator acts about a third of the time.
    if (std::bernoulli_distribution(0.3)(rng_)) return people_[0];
    return people_[d(rng_)];
}

std::string random_session::pick_note(const board& b) {
    if (b.notes.empty() || std::bernoulli_distribution(0.03)(rng_)) return "n999999";
    return nth_key(b.notes,
                   std::uniform_int_distribution<std::size_t>(0, b.notes.size() - 1)(rng_));
}

template <typename Map>
std::string random_session::pick_key(const Map& m, const char* missing) {
    if (m.empty() || std::bernoulli_distribution(0.03)(rng_)) return missing;
    return nth_key(m, std::uniform_int_distribution<std::size_t>(0, m.size() - 1)(rng_));
}

std::string random_session::pick_theme(const board& b) {
    if (b.themes.empty() || std::bernoulli_distribution(0.03)(rng_)) return "t999999";
    return nth_key(b.themes,
                   std::uniform_int_distribution<std::size_t>(0, b.themes.size() - 1)(rng_));
}

std::string random_session::text() {
    std::uniform_int_distribution<std::size_t> d(0, sample_texts.size() - 1);
    return sample_texts[d(rng_)];
}

op random_session::pick_op(const board& b, const std::string& actor) {
    const auto id = std::to_string(b.seq + 1);
    std::uniform_int_distribution<std::int32_t> coord(-2000, 2000);
    const int roll = std::uniform_int_distribution<int>(0, 99)(rng_);
    const auto c = all_colors[std::uniform_int_distribution<std::size_t>(0, 5)(rng_)];
    const auto prof = all_profiles[std::uniform_int_distribution<std::size_t>(0, 5)(rng_)];
    const auto target = [&]() -> vote_target {
        if (std::bernoulli_distribution(0.8)(rng_))
            return {vote_target::kind_t::note, pick_note(b)};
        return {vote_target::kind_t::theme, pick_theme(b)};
    };
    if (roll < 22)
        return ops::note_add{"n" + id, text(), c, {coord(rng_), coord(rng_)}, std::nullopt, false};
    if (roll < 26) return ops::note_edit{pick_note(b), text() + " (précisé)"};
    if (roll < 38) return ops::note_move{pick_note(b), {coord(rng_), coord(rng_)}};
    if (roll < 40) return ops::note_color{pick_note(b), c};
    if (roll < 42) return ops::note_delete{pick_note(b)};
    if (roll < 45) return ops::note_merge{pick_note(b), pick_note(b)};
    if (roll < 52) {
        if (std::bernoulli_distribution(0.2)(rng_))
            return ops::note_group{pick_note(b), std::nullopt};
        return ops::note_group{pick_note(b), pick_theme(b)};
    }
    if (roll < 55) return ops::theme_create{"t" + id, "Thème " + id, {coord(rng_), coord(rng_)}};
    if (roll < 56) return ops::theme_rename{pick_theme(b), "Renommé " + id};
    if (roll < 57) return ops::theme_move{pick_theme(b), {coord(rng_), coord(rng_)}};
    if (roll < 58) return ops::theme_delete{pick_theme(b)};
    if (roll < 59) return ops::theme_synthesis{pick_theme(b), "Synthèse : " + text()};
    if (roll < 73) return ops::vote_add{target()};
    if (roll < 78) return ops::vote_remove{target()};
    if (roll < 82) {
        // Mostly forward through the phases, sometimes back: facilitators do go back.
        const auto next = std::bernoulli_distribution(0.8)(rng_)
                              ? static_cast<int>(b.phase) + 1
                              : std::uniform_int_distribution<int>(0, 5)(rng_);
        return ops::phase_set{static_cast<phase>(next % 6)};
    }
    if (roll < 83) return ops::board_lock{!b.locked};
    if (roll < 84)
        return ops::timer_start{std::uniform_int_distribution<std::uint32_t>(30, 900)(rng_)};
    if (roll < 85) return ops::timer_stop{};
    if (roll < 86) {
        return ops::settings_set{std::nullopt,
                                 std::nullopt,
                                 std::uniform_int_distribution<std::uint32_t>(1, 8)(rng_),
                                 std::bernoulli_distribution(0.5)(rng_),
                                 std::nullopt,
                                 std::nullopt,
                                 std::nullopt,
                                 std::nullopt,
                                 std::nullopt};
    }
    if (roll < 88) return ops::participant_rename{"Personne " + actor, prof};
    const auto who =
        people_[std::uniform_int_distribution<std::size_t>(1, people_.size() - 1)(rng_)];
    if (roll < 91) return ops::participant_join{who, role::participant, "", prof};
    if (roll < 92) return ops::note_restore{pick_key(b.deleted_notes, "n999999")};
    if (roll < 93) {
        if (std::bernoulli_distribution(0.5)(rng_)) return ops::theme_restore{pick_key(b.deleted_themes, "t999999")};
        return ops::attendance_set{prof, std::uniform_int_distribution<std::uint32_t>(0, 4)(rng_)};
    }
    if (roll < 94) {
        const int which = std::uniform_int_distribution<int>(0, 3)(rng_);
        if (which == 0) return ops::action_add{"a" + id, pick_theme(b), text(), "Le CCAS", "juin"};
        if (which == 1) return ops::action_edit{pick_key(b.actions, "a999999"), text(), "", "2027"};
        if (which == 2) return ops::action_delete{pick_key(b.actions, "a999999")};
        return arrangement(b);  // "Ranger", as the server stamps it
    }
    return ops::participant_leave{who};
}

stamped_op random_session::next(const board& b) {
    clock_ += std::uniform_int_distribution<std::int64_t>(1, 4000)(rng_);
    stamped_op s;
    s.seq = b.seq + 1;
    s.time = clock_;
    if (b.seq == 0) {
        s.by = std::string(system_author);
        s.op = ops::participant_join{"f1", role::facilitator, "Animation", std::nullopt};
        return s;
    }
    s.by = pick_actor();
    s.op = pick_op(b, s.by);
    if (is_server_only(s.op)) s.by = std::string(system_author);
    return s;
}

std::vector<stamped_op> generate_log(std::uint32_t seed, std::size_t count, board& b) {
    random_session session(seed);
    std::vector<stamped_op> log;
    log.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
        stamped_op s = session.next(b);
        if (apply(b, s)) log.push_back(std::move(s));
    }
    return log;
}

}  // namespace ruche::testing
