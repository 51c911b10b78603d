#include <catch2/catch.hpp>

#include "ruche/board/board.hpp"
#include "ruche/wire/visibility.hpp"
#include "every_op.hpp"

using namespace ruche::protocol;

namespace {

// A session with a facilitator "f1" and participants "p1" and "p2", stamped
// the way the server stamps ops: dense seq, increasing time.
struct session {
    board b;

    session() {
        server(ops::settings_set{"Atelier", "Comment lutter contre l'isolement ?", 2u, std::nullopt,
                                 std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt});
        server(ops::participant_join{"f1", role::facilitator, "Animatrice", std::nullopt});
        server(ops::participant_join{"p1", role::participant, "Josiane", profile::habitant});
        server(ops::participant_join{"p2", role::participant, "", profile::agent});
    }

    result<audience> as(const std::string& who, op o) {
        const stamped_op s{b.seq + 1, 1'764'000'000'000 + static_cast<std::int64_t>(b.seq) * 1000,
                           who, std::move(o)};
        return apply(b, s);
    }
    void server(op o) { REQUIRE(as(std::string(system_author), std::move(o)).ok()); }
    void ok(const std::string& who, op o) {
        auto r = as(who, std::move(o));
        INFO(encode_op(o).dump());
        if (!r) FAIL(r.error().message());
    }
    // The op is refused with `code` and the canonical state does not change.
    void refused(const std::string& who, op o, errc code) {
        const std::string before = serialize(b);
        auto r = as(who, std::move(o));
        REQUIRE_FALSE(r.ok());
        CHECK(code_name(r.error().code) == code_name(code));
        CHECK(serialize(b) == before);
    }
    void note(const std::string& who, const std::string& id, const std::string& text) {
        ok(who, ops::note_add{id, text, color::yellow, {0, 0}, std::nullopt});
    }
    void to_phase(phase p) { ok("f1", ops::phase_set{p}); }
};

vote_target on_note(const std::string& id) {
    return {vote_target::kind_t::note, id};
}

}  // namespace

TEST_CASE("participants change only their own notes; the facilitator changes any") {
    session s;
    s.note("p1", "n1", "Un minibus pour le marché");
    s.to_phase(phase::reveal);
    s.refused("p2", ops::note_edit{"n1", "autre chose"}, errc::not_author);
    s.refused("p2", ops::note_delete{"n1"}, errc::not_author);
    s.refused("p2", ops::note_move{"n1", {5, 5}}, errc::not_author);
    s.ok("p1", ops::note_edit{"n1", "Un minibus pour aller au marché"});
    s.ok("f1", ops::note_move{"n1", {40, 50}});
    CHECK(s.b.notes.at("n1").text == "Un minibus pour aller au marché");
    CHECK(s.b.notes.at("n1").at == point{40, 50});
    s.ok("f1", ops::note_delete{"n1"});
    CHECK(s.b.notes.empty());
}

TEST_CASE("facilitation ops are the facilitator's") {
    session s;
    s.note("p1", "n1", "Des bancs");
    const std::vector<op> facilitation = {
        ops::phase_set{phase::reveal},
        ops::board_lock{true},
        ops::timer_start{60},
        ops::timer_stop{},
        ops::settings_set{"Titre", std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                          std::nullopt, std::nullopt, std::nullopt, std::nullopt},
        ops::theme_create{"t1", "Mobilité", {0, 0}},
        ops::note_merge{"n1", "n1"},
        ops::note_group{"n1", std::nullopt},
    };
    for (const auto& o : facilitation) s.refused("p1", o, errc::facilitator_only);
    s.refused("ghost", ops::phase_set{phase::reveal}, errc::unknown_participant);
    s.refused("p1", ops::participant_join{"p9", role::facilitator, "", std::nullopt},
              errc::system_only);
    s.refused("f1", ops::participant_leave{"p2"}, errc::system_only);
}

TEST_CASE("private writing: notes reach only their author and the facilitator") {
    session s;
    REQUIRE(s.b.phase == phase::writing);
    auto added = s.as(
        "p1",
        ops::note_add{"n1", "Je me sens seule le dimanche", color::blue, {0, 0}, std::nullopt});
    REQUIRE(added.ok());
    CHECK(added->only == std::vector<std::string>{"p1"});

    CHECK(project(s.b, "p2")["notes"].empty());
    CHECK(project(s.b, "p1")["notes"].contains("n1"));
    CHECK(project(s.b, "f1")["notes"].contains("n1"));
    CHECK(project(s.b, "p2").dump().find("dimanche") == std::string::npos);

    const stamped_op event{
        s.b.seq, 0, "p1",
        ops::note_add{"n1", "Je me sens seule le dimanche", color::blue, {0, 0}, std::nullopt}};
    CHECK_FALSE(project_event(s.b, event, *added, "p2").has_value());
    CHECK(project_event(s.b, event, *added, "p1").has_value());
    CHECK(project_event(s.b, event, *added, "f1").has_value());

    // Another participant cannot even learn that the note exists.
    s.refused("p2", ops::note_edit{"n1", "x"}, errc::unknown_note);

    auto reveal = s.as("f1", ops::phase_set{phase::reveal});
    REQUIRE(reveal.ok());
    CHECK(reveal->resync);
    const stamped_op reveal_event{s.b.seq, 0, "f1", ops::phase_set{phase::reveal}};
    auto for_p2 = project_event(s.b, reveal_event, *reveal, "p2");
    REQUIRE(for_p2.has_value());
    CHECK((*for_p2)["state"]["notes"].contains("n1"));
    CHECK(project(s.b, "p2")["notes"].contains("n1"));
}

TEST_CASE("anonymous sessions hide who wrote and who voted from other participants") {
    session s;
    s.note("p1", "n1", "Un jardin partagé");
    s.to_phase(phase::voting);
    s.ok("p1", ops::vote_add{on_note("n1")});
    s.ok("p2", ops::vote_add{on_note("n1")});
    const json for_p2 = project(s.b, "p2")["notes"]["n1"];
    CHECK(for_p2["author"].is_null());
    CHECK(for_p2["authors"].empty());
    CHECK(for_p2["author_count"] == 1);
    CHECK(for_p2["votes"] == json{{"p2", 1}});
    CHECK(for_p2["vote_total"] == 2);
    CHECK(project(s.b, "p1")["notes"]["n1"]["author"] == "p1");
    CHECK(project(s.b, "f1")["notes"]["n1"]["votes"] == json{{"p1", 1}, {"p2", 1}});

    s.ok("f1", ops::settings_set{std::nullopt, std::nullopt, std::nullopt, false, std::nullopt,
                                 std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    CHECK(project(s.b, "p2")["notes"]["n1"]["author"] == "p1");
}

TEST_CASE("no votes outside the voting phase, and never beyond the budget") {
    session s;  // budget 2
    s.note("p1", "n1", "Des bancs");
    s.note("p2", "n2", "Des toilettes publiques");
    s.ok("f1", ops::theme_create{"t1", "Espace public", {0, 0}});
    s.to_phase(phase::clustering);
    s.refused("p1", ops::vote_add{on_note("n1")}, errc::wrong_phase);
    s.to_phase(phase::voting);
    s.ok("p1", ops::vote_add{on_note("n1")});
    s.ok("p1", ops::vote_add{{vote_target::kind_t::theme, "t1"}});
    s.refused("p1", ops::vote_add{on_note("n2")}, errc::vote_budget_exhausted);
    s.refused("p1", ops::vote_remove{on_note("n2")}, errc::no_vote_to_remove);
    s.refused("p1", ops::vote_add{on_note("n404")}, errc::unknown_note);
    s.ok("p1", ops::vote_remove{on_note("n1")});
    s.ok("p1", ops::vote_add{on_note("n2")});
    s.ok("p2", ops::vote_add{on_note("n2")});
    s.ok("p2", ops::vote_add{on_note("n2")});  // dots may stack
    CHECK(total(s.b.notes.at("n2").votes) == 3);
    CHECK(total(s.b.notes.at("n1").votes) == 0);
    s.to_phase(phase::synthesis);
    s.refused("p2", ops::vote_remove{on_note("n2")}, errc::wrong_phase);
}

TEST_CASE("merging a duplicate keeps every author and every vote") {
    session s;
    s.note("p1", "n1", "Transport pour les courses");
    s.note("p2", "n2", "Navette vers le supermarché");
    s.note("f1", "n3", "Minibus solidaire");
    s.ok("f1", ops::theme_create{"t1", "Mobilité", {0, 0}});
    s.ok("f1", ops::note_group{"n1", std::string("t1")});
    s.to_phase(phase::voting);
    s.ok("p1", ops::vote_add{on_note("n2")});
    s.ok("p2", ops::vote_add{on_note("n2")});
    s.ok("p2", ops::vote_add{on_note("n1")});
    s.ok("f1", ops::note_merge{"n3", "n2"});
    s.ok("f1", ops::note_merge{"n2", "n1"});
    s.refused("f1", ops::note_merge{"n1", "n1"}, errc::merge_into_self);
    s.refused("f1", ops::note_merge{"n2", "n1"}, errc::unknown_note);

    REQUIRE(s.b.notes.size() == 1);
    const note& kept = s.b.notes.at("n1");
    CHECK(kept.text == "Transport pour les courses");
    CHECK(kept.authors == std::vector<std::string>{"p1", "p2", "f1"});
    CHECK(kept.votes == vote_tally{{"p1", 1}, {"p2", 2}});
    REQUIRE(kept.merged.size() == 2);
    CHECK(kept.merged[0].text == "Navette vers le supermarché");
    CHECK(kept.merged[1].text == "Minibus solidaire");
    CHECK(kept.theme == std::optional<std::string>("t1"));
    // Merged votes still count against each voter's budget (p2 used 2 of 2).
    s.refused("p2", ops::vote_add{on_note("n1")}, errc::vote_budget_exhausted);
}

TEST_CASE("locked and closed boards refuse new notes") {
    session s;
    s.note("p1", "n1", "Avant le verrou");
    s.ok("f1", ops::board_lock{true});
    s.refused("p1", ops::note_add{"n2", "Pendant", color::yellow, {0, 0}, std::nullopt},
              errc::board_locked);
    s.refused("p1", ops::note_edit{"n1", "Modifié"}, errc::board_locked);
    s.note("f1", "n3", "La facilitatrice peut encore écrire");
    s.ok("f1", ops::board_lock{false});
    s.note("p1", "n4", "Après le verrou");
    s.to_phase(phase::closed);
    s.refused("p1", ops::note_add{"n5", "Trop tard", color::yellow, {0, 0}, std::nullopt},
              errc::session_closed);
    s.refused("f1", ops::note_add{"n5", "Trop tard", color::yellow, {0, 0}, std::nullopt},
              errc::session_closed);
    s.refused("f1", ops::theme_create{"t1", "x", {0, 0}}, errc::session_closed);
    s.ok("f1", ops::phase_set{phase::synthesis});  // the facilitator may reopen
}

TEST_CASE("themes group notes and leave them behind when deleted") {
    session s;
    s.note("p1", "n1", "Fête des voisins");
    s.ok("f1", ops::theme_create{"t1", "Convivialité", {100, 100}});
    s.refused("f1", ops::theme_create{"t1", "Doublon", {0, 0}}, errc::duplicate_id);
    s.refused("f1", ops::note_group{"n1", std::string("t9")}, errc::unknown_theme);
    s.ok("f1", ops::note_group{"n1", std::string("t1")});
    s.ok("f1", ops::theme_rename{"t1", "Convivialité et voisinage"});
    s.ok("f1", ops::theme_synthesis{"t1", "Recréer des occasions de se rencontrer."});
    CHECK(s.b.notes.at("n1").theme == std::optional<std::string>("t1"));
    s.ok("f1", ops::theme_delete{"t1"});
    CHECK_FALSE(s.b.notes.at("n1").theme.has_value());
    CHECK(s.b.themes.empty());
}

TEST_CASE("the session note length limit applies, counted in characters") {
    session s;
    s.ok("f1", ops::settings_set{std::nullopt, std::nullopt, std::nullopt, std::nullopt, 10u,
                                 std::nullopt, std::nullopt, std::nullopt, std::nullopt});
    s.note("p1", "n1", "éééééééééé");
    s.refused("p1", ops::note_add{"n2", "ééééééééééé", color::yellow, {0, 0}, std::nullopt},
              errc::too_long);
}

TEST_CASE("profiles must be among those offered") {
    session s;
    s.ok("f1",
         ops::settings_set{std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                           std::vector<profile>{profile::habitant, profile::elu}, std::nullopt, std::nullopt, std::nullopt});
    s.refused(std::string(system_author),
              ops::participant_join{"p3", role::participant, "", profile::agent},
              errc::profile_not_offered);
    s.refused("p1", ops::participant_rename{"Jo", profile::institution}, errc::profile_not_offered);
    s.ok("p1", ops::participant_rename{"Jo", profile::elu});
    s.refused("p1", ops::note_add{"n1", "x", color::yellow, {0, 0}, profile::habitant},
              errc::facilitator_only);
    s.ok("f1",
         ops::note_add{"n1", "Écrit pour M. Martin", color::yellow, {0, 0}, profile::habitant});
    CHECK(s.b.notes.at("n1").profile == std::optional<profile>(profile::habitant));
}

TEST_CASE("presence: join, rejoin and leave") {
    session s;
    CHECK(s.b.participants.at("p1").present);
    s.server(ops::participant_leave{"p1"});
    CHECK_FALSE(s.b.participants.at("p1").present);
    const auto joined = s.b.participants.at("p1").joined_time;
    s.server(ops::participant_join{"p1", role::participant, "", std::nullopt});
    CHECK(s.b.participants.at("p1").present);
    CHECK(s.b.participants.at("p1").name == "Josiane");  // a rejoin without a name keeps it
    CHECK(s.b.participants.at("p1").joined_time == joined);
    s.refused(std::string(system_author), ops::participant_leave{"p9"}, errc::unknown_participant);
}

TEST_CASE("ops must come in sequence") {
    session s;
    const stamped_op skip{s.b.seq + 2, 0, "f1", ops::timer_stop{}};
    const std::string before = serialize(s.b);
    auto r = apply(s.b, skip);
    REQUIRE_FALSE(r.ok());
    CHECK(r.error().code == errc::out_of_order);
    CHECK(serialize(s.b) == before);
}

TEST_CASE("the canonical state reads back to the same bytes") {
    session s;
    s.note("p1", "n1", "Une \"maison\" des aînés");
    s.ok("f1", ops::theme_create{"t1", "Lieux", {10, 20}});
    s.ok("f1", ops::note_group{"n1", std::string("t1")});
    s.ok("f1", ops::timer_start{120});
    s.to_phase(phase::voting);
    s.ok("p2", ops::vote_add{on_note("n1")});
    const std::string bytes = serialize(s.b);
    auto back = board_from_json(json::parse(bytes));
    REQUIRE(back.ok());
    CHECK(*back == s.b);
    CHECK(serialize(*back) == bytes);

    json broken = json::parse(bytes);
    broken["phase"] = "lunch";
    CHECK_FALSE(board_from_json(broken).ok());
    broken = json::parse(bytes);
    broken["notes"]["n1"].erase("text");
    CHECK_FALSE(board_from_json(broken).ok());
}

TEST_CASE("authors of a merged duplicate see the kept note but do not own it") {
    session s;
    s.note("p1", "n1", "Un café des aidants");
    s.note("p2", "n2", "Café pour les aidants");
    auto merged = s.as("f1", ops::note_merge{"n2", "n1"});
    REQUIRE(merged.ok());
    CHECK(merged->resync);  // p2 never received n1 during private writing
    CHECK(project(s.b, "p2")["notes"].contains("n1"));
    s.refused("p2", ops::note_edit{"n1", "Réécrit"}, errc::not_author);
    s.refused("p2", ops::note_delete{"n1"}, errc::not_author);
}

TEST_CASE("going back to private writing hides notes again and resyncs participants") {
    session s;
    s.note("p1", "n1", "Un jardin partagé");
    s.to_phase(phase::reveal);
    CHECK(project(s.b, "p2")["notes"].contains("n1"));
    auto back = s.as("f1", ops::phase_set{phase::writing});
    REQUIRE(back.ok());
    CHECK(back->resync);
    CHECK_FALSE(project(s.b, "p2")["notes"].contains("n1"));
    auto same = s.as("f1", ops::phase_set{phase::writing});
    REQUIRE(same.ok());
    CHECK_FALSE(same->resync);
}

TEST_CASE("renames stay attributed in anonymous sessions; notes do not") {
    session s;
    s.to_phase(phase::reveal);
    auto renamed = s.as("p1", ops::participant_rename{"Jo", std::nullopt});
    REQUIRE(renamed.ok());
    const stamped_op rename{s.b.seq, 0, "p1", ops::participant_rename{"Jo", std::nullopt}};
    CHECK((*project_event(s.b, rename, *renamed, "p2"))["by"] == "p1");
    auto added = s.as("p1", ops::note_add{"n9", "Anonyme", color::yellow, {0, 0}, std::nullopt});
    REQUIRE(added.ok());
    const stamped_op add{s.b.seq, 0, "p1",
                         ops::note_add{"n9", "Anonyme", color::yellow, {0, 0}, std::nullopt}};
    CHECK_FALSE(project_event(s.b, add, *added, "p2")->contains("by"));
    CHECK((*project_event(s.b, add, *added, "p1"))["by"] == "p1");
    CHECK((*project_event(s.b, add, *added, "f1"))["by"] == "p1");
}

TEST_CASE("nobody can join under the server's name") {
    session s;
    s.refused(
        std::string(system_author),
        ops::participant_join{std::string(system_author), role::facilitator, "", std::nullopt},
        errc::invalid_id);
}

TEST_CASE("a deleted note waits in the bin and comes back as it was, dots within budgets") {
    session s;
    s.note("p1", "n5", "Un café des aidants");
    s.ok("f1", ops::theme_create{"t6", "Rencontres", {0, 0}});
    s.ok("f1", ops::note_group{"n5", std::string("t6")});
    s.to_phase(phase::voting);
    s.ok("p1", ops::vote_add{on_note("n5")});
    s.ok("p2", ops::vote_add{on_note("n5")});
    // Participants delete only their own; the facilitator may delete any.
    s.refused("p2", ops::note_delete{"n5"}, errc::not_author);
    s.ok("f1", ops::note_delete{"n5"});
    CHECK_FALSE(s.b.notes.count("n5"));
    REQUIRE(s.b.deleted_notes.count("n5"));
    CHECK(s.b.dots_used.empty());  // the dots went back to their voters
    // p2 spends both dots elsewhere meanwhile; p1 spends none.
    s.note("p2", "n9", "Un minibus");
    s.ok("p2", ops::vote_add{on_note("n9")});
    s.ok("p2", ops::vote_add{on_note("n9")});

    s.refused("p1", ops::note_restore{"n5"}, errc::facilitator_only);
    s.refused("f1", ops::note_restore{"n9"}, errc::not_deleted);
    s.refused("f1", ops::note_restore{"n404"}, errc::unknown_note);
    auto who = s.as("f1", ops::note_restore{"n5"});
    REQUIRE(who.ok());
    CHECK(who->resync);
    CHECK(who->resync_facilitators);
    const note& back = s.b.notes.at("n5");
    CHECK(back.text == "Un café des aidants");
    CHECK(back.theme == std::optional<std::string>("t6"));
    // p1's dot comes back; p2 has no budget left for theirs.
    CHECK(back.votes == vote_tally{{"p1", 1}});
    CHECK(s.b.dots_used.at("p1") == 1);
    CHECK(s.b.dots_used.at("p2") == 2);
    CHECK(s.b.deleted_notes.empty());
}

TEST_CASE("a deleted theme comes back with the notes that were still free") {
    session s;
    s.note("p1", "n5", "Un café des aidants");
    s.note("p1", "n6", "Des repas partagés");
    s.ok("f1", ops::theme_create{"t7", "Rencontres", {0, 0}});
    s.ok("f1", ops::theme_create{"t8", "Autre", {0, 0}});
    s.ok("f1", ops::note_group{"n5", std::string("t7")});
    s.ok("f1", ops::note_group{"n6", std::string("t7")});
    s.ok("f1", ops::action_add{"a20", "t7", "Ouvrir un café", "CCAS", "juin"});
    s.ok("f1", ops::theme_delete{"t7"});
    CHECK_FALSE(s.b.notes.at("n5").theme);
    REQUIRE(s.b.deleted_themes.count("t7"));
    CHECK(s.b.deleted_themes.at("t7").notes == std::vector<std::string>{"n5", "n6"});
    s.ok("f1", ops::note_group{"n6", std::string("t8")});  // it found another theme since
    s.refused("f1", ops::theme_restore{"t8"}, errc::not_deleted);
    s.ok("f1", ops::theme_restore{"t7"});
    CHECK(s.b.notes.at("n5").theme == std::optional<std::string>("t7"));
    CHECK(s.b.notes.at("n6").theme == std::optional<std::string>("t8"));
    CHECK(s.b.actions.at("a20").theme == "t7");
    // The canonical state reads back, bin and all.
    s.ok("f1", ops::note_delete{"n6"});
    s.ok("f1", ops::theme_delete{"t8"});
    auto again = board_from_json(to_json(s.b));
    REQUIRE(again.ok());
    CHECK(*again == s.b);
    // Participants never see the bin.
    const json seen = project(s.b, "p1");
    CHECK(seen["deleted_notes"].empty());
    CHECK(seen["deleted_themes"].empty());
    CHECK_FALSE(project(s.b, "f1")["deleted_notes"].empty());
}

TEST_CASE("action plans and scribe attendance are the facilitator's, also once closed") {
    session s;
    s.ok("f1", ops::theme_create{"t5", "Se déplacer", {0, 0}});
    s.refused("p1", ops::action_add{"a6", "t5", "Un minibus", "", ""}, errc::facilitator_only);
    s.refused("f1", ops::action_add{"a6", "t404", "Un minibus", "", ""}, errc::unknown_theme);
    s.ok("f1", ops::action_add{"a6", "t5", "Un minibus", "", ""});
    s.refused("f1", ops::action_add{"a6", "t5", "Doublon", "", ""}, errc::duplicate_id);
    s.to_phase(phase::closed);
    s.ok("f1", ops::action_edit{"a6", "Un minibus solidaire", "Le CCAS", "avant l'été"});
    CHECK(s.b.actions.at("a6") == action{"a6", "t5", "Un minibus solidaire", "Le CCAS", "avant l'été", 6});
    s.refused("f1", ops::action_edit{"a404", "x", "", ""}, errc::unknown_action);
    s.ok("f1", ops::attendance_set{profile::elu, 2});
    s.ok("f1", ops::attendance_set{profile::habitant, 3});
    s.ok("f1", ops::attendance_set{profile::habitant, 0});
    CHECK(s.b.scribe_attendance == std::map<profile, std::uint32_t>{{profile::elu, 2}});
    s.refused("p1", ops::attendance_set{profile::elu, 1}, errc::facilitator_only);
    s.ok("f1", ops::action_delete{"a6"});
    CHECK(s.b.actions.empty());
    s.refused("f1", ops::action_delete{"a6"}, errc::unknown_action);
}

TEST_CASE("a profile the session does not offer cannot be counted") {
    session s;
    s.server(ops::settings_set{std::nullopt, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                               std::vector<profile>{profile::habitant}, std::nullopt, std::nullopt, std::nullopt});
    s.refused("f1", ops::attendance_set{profile::elu, 1}, errc::profile_not_offered);
}

TEST_CASE("closing the session stops its timer") {
    session s;
    s.ok("f1", ops::timer_start{600});
    REQUIRE(s.b.timer);
    s.to_phase(phase::closed);
    CHECK_FALSE(s.b.timer);
}

TEST_CASE("free spots: a grid left of the themes, first free cell first") {
    session s;
    CHECK(free_spot(s.b) == point{0, 0});
    s.ok("p1", ops::note_add{"n5", "a", color::yellow, free_spot(s.b), std::nullopt, false});
    CHECK(free_spot(s.b) == point{spot_width, 0});
    for (int i = 0; i < spot_columns - 1; ++i) {
        s.ok("p1", ops::note_add{"m" + std::to_string(i), "b", color::yellow, free_spot(s.b),
                                 std::nullopt, false});
    }
    CHECK(free_spot(s.b) == point{0, spot_height});
    // A note moved away frees its cell; a note in a theme takes none.
    s.to_phase(phase::reveal);
    s.ok("f1", ops::note_move{"n5", {5000, 5000}});
    CHECK(free_spot(s.b) == point{0, 0});
    s.ok("f1", ops::note_move{"n5", {10, 20}});
    s.ok("f1", ops::theme_create{"t1", "T", {1500, 0}});
    s.ok("f1", ops::note_group{"n5", std::string("t1")});
    CHECK(free_spot(s.b) == point{0, 0});
    // An op still asking for a spot is incomplete: the server fills it in.
    s.refused("p1", ops::note_add{"n9", "c", color::yellow, {}, std::nullopt, true},
              errc::missing_field);
}

namespace {

// Two items of the board laid out at `a` and `b` overlap when their boxes do.
bool overlap(point a, std::int32_t aw, std::int32_t ah, point b, std::int32_t bw, std::int32_t bh) {
    return a.x < b.x + bw && b.x < a.x + aw && a.y < b.y + bh && b.y < a.y + ah;
}

// Stamps the op as the server does (ids, places), then applies it.
result<audience> stamped(session& s, const std::string& who, op o) {
    return apply(s.b, stamp(s.b, std::move(o), 1'764'000'000'000, who));
}

}  // namespace

TEST_CASE("a new theme without a place goes right of every note and theme, on the first row") {
    session s;
    s.to_phase(phase::reveal);
    // Its author left the place to the server.
    REQUIRE(stamped(s, "f1", ops::theme_create{"", "Mobilité", {}, true}).ok());
    const auto first = s.b.themes.begin()->second.at;
    CHECK(first == point{spot_columns * spot_width + theme_gap, 0});
    s.note("p1", "n1", "Une note posée loin à droite");
    s.ok("f1", ops::note_move{"n1", {first.x + 2000, 400}});
    REQUIRE(stamped(s, "f1", ops::theme_create{"", "Santé", {}, true}).ok());
    point second{};
    for (const auto& [id, t] : s.b.themes) {
        if (t.title == "Santé") second = t.at;
    }
    CHECK(second == point{first.x + 2000 + spot_width + theme_gap, 0});
    // Sent without a place and not stamped: incomplete, refused.
    s.refused("f1", ops::theme_create{"t99", "Sans place", {}, true}, errc::missing_field);
}

TEST_CASE("tidying the board: free notes in a grid in writing order, themes side by side, nothing overlaps") {
    session s;
    s.to_phase(phase::reveal);
    for (int i = 0; i < 30; ++i) {
        // Piled up where people dropped them, some on top of one another.
        s.ok(i % 2 ? "p1" : "p2", ops::note_add{"n" + std::to_string(100 + i), "idée " + std::to_string(i),
                                                color::yellow, {(i * 37) % 500, (i * 53) % 300}, std::nullopt});
    }
    s.ok("f1", ops::theme_create{"t1", "Mobilité", {900, 900}});
    s.ok("f1", ops::theme_create{"t2", "Santé", {950, 920}});
    s.ok("f1", ops::note_group{"n105", std::string("t2")});
    const point grouped_at = s.b.notes.at("n105").at;

    s.refused("p1", ops::board_arrange{}, errc::facilitator_only);
    auto r = stamped(s, "f1", ops::board_arrange{});
    REQUIRE(r.ok());
    CHECK(r->only.empty());
    CHECK_FALSE(r->per_viewer);  // every note is visible: one event for all

    std::vector<const note*> free_notes;
    for (const auto& [id, n] : s.b.notes) {
        if (!n.theme) free_notes.push_back(&n);
    }
    REQUIRE(free_notes.size() == 29);
    for (std::size_t i = 0; i < free_notes.size(); ++i) {
        for (std::size_t j = i + 1; j < free_notes.size(); ++j) {
            INFO(free_notes[i]->id << " and " << free_notes[j]->id);
            CHECK_FALSE(overlap(free_notes[i]->at, spot_width, spot_height, free_notes[j]->at, spot_width,
                                spot_height));
        }
    }
    // In writing order, row by row: 29 notes make 7 columns.
    CHECK(s.b.notes.at("n100").at == point{0, 0});
    CHECK(s.b.notes.at("n101").at == point{spot_width, 0});
    CHECK(s.b.notes.at("n106").at == point{5 * spot_width, 0});  // n105 is in a theme
    CHECK(s.b.notes.at("n108").at == point{0, spot_height});
    CHECK(s.b.notes.at("n105").at == grouped_at);  // its place is its theme's
    const std::int32_t themes_x = 7 * spot_width + theme_gap;
    CHECK(s.b.themes.at("t1").at == point{themes_x, 0});
    CHECK(s.b.themes.at("t2").at == point{themes_x + theme_spot_width, 0});
    // The next theme goes after them, and tidying again changes nothing.
    CHECK(theme_spot(s.b) == point{themes_x + 2 * theme_spot_width, 0});
    const auto places = [&] {
        std::vector<point> out;
        for (const auto& [id, n] : s.b.notes) out.push_back(n.at);
        for (const auto& [id, t] : s.b.themes) out.push_back(t.at);
        return out;
    };
    const auto tidy = places();
    REQUIRE(stamped(s, "f1", ops::board_arrange{}).ok());
    CHECK(places() == tidy);

    // A stamped arrangement that no longer fits the board is refused whole.
    auto stale = arrangement(s.b);
    stale.notes.push_back({"n999", {0, 0}});
    s.refused("f1", stale, errc::unknown_note);
    auto grouped = arrangement(s.b);
    grouped.notes.push_back({"n105", {0, 0}});
    s.refused("f1", grouped, errc::invalid_id);
    s.to_phase(phase::closed);
    s.refused("f1", ops::board_arrange{}, errc::session_closed);
}

TEST_CASE("a tidied board tells participants where their own notes went, not which private notes exist") {
    session s;
    s.note("p1", "n1", "La mienne");
    s.note("p2", "n2", "Celle de quelqu'un d'autre");
    const stamped_op st = stamp(s.b, ops::board_arrange{}, 1'764'000'000'000, "f1");
    auto r = apply(s.b, st);
    REQUIRE(r.ok());
    CHECK(r->per_viewer);  // so the server projects it for each participant
    const auto for_p1 = project_event(s.b, st, *r, "p1");
    REQUIRE(for_p1);
    const std::string seen = for_p1->dump();
    CHECK(seen.find("\"n1\"") != std::string::npos);
    CHECK(seen.find("\"n2\"") == std::string::npos);
    const auto for_f1 = project_event(s.b, st, *r, "f1");
    REQUIRE(for_f1);
    CHECK((*for_f1)["op"]["notes"].size() == 2);
}

namespace {

// A board with something in every part of the canonical state: notes in and
// out of themes, a merged duplicate, votes, a deleted note and theme in the
// bin, an action, scribe attendance, a timer, phases.
session full_board() {
    session s;
    s.note("p1", "n1", "Un minibus pour le marché");
    s.note("p2", "n2", "Un minibus le samedi");
    s.note("p2", "n3", "Des bancs");
    s.note("p1", "n4", "Une note retirée");
    s.to_phase(phase::reveal);
    s.ok("f1", ops::note_merge{"n2", "n1"});
    s.ok("f1", ops::theme_create{"t1", "Se déplacer", {0, 0}});
    s.ok("f1", ops::theme_create{"t2", "Thème retiré", {0, 0}});
    s.ok("f1", ops::note_group{"n1", std::string("t1")});
    s.ok("f1", ops::note_delete{"n4"});
    s.ok("f1", ops::theme_delete{"t2"});
    s.ok("f1", ops::action_add{"a1", "t1", "Un minibus solidaire", "Le CCAS", "avant l'été"});
    s.ok("f1", ops::attendance_set{profile::elu, 2});
    s.ok("f1", ops::timer_start{300});
    s.to_phase(phase::voting);
    s.ok("p1", ops::vote_add{on_note("n1")});
    s.ok("p2", ops::vote_add{on_note("n1")});
    s.ok("p2", ops::vote_add{{vote_target::kind_t::theme, "t1"}});
    // A walk's parts: categories, a stop with its place, the group there,
    // and a note written there with its author's position.
    ops::settings_set categories;
    categories.categories = std::vector<std::string>{"Atout", "Difficulté"};
    s.ok("f1", categories);
    s.ok("f1", ops::stop_add{"s1", "Place du marché", "Peut-on passer avec une poussette ?",
                             geo_point{4885661, 235222, 0}});
    s.ok("f1", ops::stop_go{std::string("s1")});
    ops::note_add seen{"n5", "Trottoir trop étroit", color::yellow, {0, 0}, std::nullopt};
    seen.stop = "s1";
    seen.category = 1;
    seen.location = geo_point{4885702, 235301, 8};
    seen.photo = "k3v9q2m8x1c7b4n6";
    s.ok("p1", seen);
    return s;
}

// Every key path of a JSON value, e.g. "notes.n1.votes.p1".
void key_paths(const json& j, const std::string& prefix, std::vector<std::string>& out) {
    if (j.is_object()) {
        for (const auto& [k, v] : j.items()) {
            out.push_back(prefix + k);
            key_paths(v, prefix + k + ".", out);
        }
    } else if (j.is_array()) {
        for (std::size_t i = 0; i < j.size(); ++i) key_paths(j[i], prefix + std::to_string(i) + ".", out);
    }
}

}  // namespace

TEST_CASE("visibility is an allow-list: a field it does not list reaches no viewer") {
    session s = full_board();
    // The board as it would serialise with a new note field and a new
    // setting that visibility has not been told about.
    json canonical = to_json(s.b);
    canonical["notes"]["n1"]["original_image"] = "secret.jpg";
    canonical["notes"]["n3"]["exif"] = 45.76;
    canonical["deleted_notes"]["n4"]["original_image"] = "secret.jpg";
    canonical["themes"]["t1"]["owner_email"] = "x@example.org";
    canonical["settings"]["facilitator_phone"] = "0600000000";
    canonical["participants"]["p1"]["address"] = "12 rue des Lilas";
    canonical["secret"] = true;
    for (const std::string viewer : {"f1", "p1", "p2", ""}) {
        INFO("viewer " << viewer);
        const std::string seen = project(s.b, canonical, viewer).dump();
        for (const char* leak : {"original_image", "secret", "exif", "owner_email", "facilitator_phone",
                                 "0600000000", "address", "Lilas"}) {
            CHECK(seen.find(leak) == std::string::npos);
        }
    }
}

TEST_CASE("visibility lists every field of today's board for facilitators, and participants see a subset") {
    session s = full_board();
    // A field added to the canonical state without its line in visibility
    // fails here: facilitators would silently stop seeing it.
    CHECK(facilitator_view(s.b) == to_json(s.b));
    CHECK(project(s.b, "f1") == to_json(s.b));
    std::vector<std::string> all;
    key_paths(to_json(s.b), "", all);
    for (const std::string viewer : {"p1", "p2", ""}) {
        std::vector<std::string> seen;
        key_paths(project(s.b, viewer), "", seen);
        for (const auto& path : seen) {
            INFO("viewer " << viewer << ": " << path);
            CHECK(std::find(all.begin(), all.end(), path) != all.end());
        }
    }
    CHECK(project(s.b, "p1")["deleted_notes"].empty());
    CHECK(project(s.b, "p1")["deleted_themes"].empty());
}

TEST_CASE("events are built from an allow-list too: an op field it does not list reaches no viewer") {
    session s = full_board();
    for (const auto& o : ruche::testing::every_op()) {
        const stamped_op e{s.b.seq + 1, 1'765'000'000'000, "p1", o};
        INFO(encode_stamped(e).dump());
        // The event as it would serialise with a new op field and a new
        // event field that visibility has not been told about.
        json event = board_event(s.b, e);
        event["op"]["original_image"] = "secret.jpg";
        event["op"]["exif"] = 45.76321;
        event["secret"] = true;
        for (const std::string viewer : {"f1", "p1", "p2"}) {
            INFO("viewer " << viewer);
            const auto seen = project_event(s.b, e, audience{}, viewer, event);
            REQUIRE(seen.has_value());
            for (const char* leak : {"original_image", "secret", "exif", "45.76321"}) {
                CHECK(seen->dump().find(leak) == std::string::npos);
            }
        }
    }
}

TEST_CASE("visibility lists every field of every op kind for facilitators, and participants see a subset") {
    session s = full_board();
    for (const auto& o : ruche::testing::every_op()) {
        const stamped_op e{s.b.seq + 1, 1'765'000'000'000, "p1", o};
        const json whole = board_event(s.b, e);
        INFO(whole.dump());
        // An op field without its line in visibility fails here: facilitators
        // would silently stop receiving it.
        CHECK(facilitator_event(s.b, e, audience{}) == whole);
        CHECK(project_event(s.b, e, audience{}, "f1") == whole);
        std::vector<std::string> all;
        key_paths(whole, "", all);
        for (const std::string viewer : {"p1", "p2"}) {
            std::vector<std::string> seen;
            key_paths(*project_event(s.b, e, audience{}, viewer), "", seen);
            for (const auto& path : seen) {
                INFO("viewer " << viewer << ": " << path);
                CHECK(std::find(all.begin(), all.end(), path) != all.end());
            }
        }
    }
}

TEST_CASE("hidden votes: during the vote participants see only their own dots; the end reveals them") {
    session s;
    s.ok("f1", ops::settings_set{std::nullopt, std::nullopt, std::nullopt, false, std::nullopt,
                                 std::nullopt, std::nullopt, true, std::nullopt});
    s.note("p1", "n1", "Un jardin partagé");
    s.to_phase(phase::reveal);
    s.ok("f1", ops::theme_create{"t1", "Se retrouver", {0, 0}});
    // Entering the vote resyncs participants: what they see changes as a whole.
    auto voting = s.as("f1", ops::phase_set{phase::voting});
    REQUIRE(voting.ok());
    CHECK(voting->resync);
    CHECK(votes_hidden(s.b));

    auto p1_vote = s.as("p1", ops::vote_add{on_note("n1")});
    REQUIRE(p1_vote.ok());
    const stamped_op p1_event{s.b.seq, 0, "p1", ops::vote_add{on_note("n1")}};
    s.ok("p2", ops::vote_add{on_note("n1")});
    s.ok("p2", ops::vote_add{{vote_target::kind_t::theme, "t1"}});
    CHECK_FALSE(project_event(s.b, p1_event, *p1_vote, "p2").has_value());
    CHECK_FALSE(sees_event(s.b, p1_event, *p1_vote, "p2"));
    CHECK(project_event(s.b, p1_event, *p1_vote, "p1").has_value());
    CHECK(project_event(s.b, p1_event, *p1_vote, "f1").has_value());

    // Even in a session that names its authors, the counts wait.
    const json for_p1 = project(s.b, "p1");
    CHECK(for_p1["notes"]["n1"]["votes"] == json{{"p1", 1}});
    CHECK(for_p1["notes"]["n1"]["vote_total"] == 1);
    CHECK(for_p1["themes"]["t1"]["votes"] == json::object());
    CHECK(for_p1["themes"]["t1"]["vote_total"] == 0);
    CHECK(project(s.b, "")["notes"]["n1"]["vote_total"] == 0);
    CHECK(project(s.b, "f1")["notes"]["n1"]["vote_total"] == 2);

    auto ended = s.as("f1", ops::phase_set{phase::synthesis});
    REQUIRE(ended.ok());
    CHECK(ended->resync);
    CHECK_FALSE(votes_hidden(s.b));
    const json after = project(s.b, "p1");
    CHECK(after["notes"]["n1"]["votes"] == json{{"p1", 1}, {"p2", 1}});
    CHECK(after["notes"]["n1"]["vote_total"] == 2);
    CHECK(after["themes"]["t1"]["vote_total"] == 1);
}

TEST_CASE("votes are shown live when the facilitator turns hiding off, even during the vote") {
    session s;  // sessions older than the setting keep live counts
    CHECK_FALSE(s.b.settings.hidden_votes);
    s.note("p1", "n1", "Des bancs");
    s.to_phase(phase::voting);
    CHECK_FALSE(votes_hidden(s.b));
    s.ok("p2", ops::vote_add{on_note("n1")});
    CHECK(project(s.b, "p1")["notes"]["n1"]["vote_total"] == 1);
    auto hide = s.as("f1", ops::settings_set{std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                             std::nullopt, std::nullopt, std::nullopt, true, std::nullopt});
    REQUIRE(hide.ok());
    CHECK(hide->resync);
    CHECK(project(s.b, "p1")["notes"]["n1"]["vote_total"] == 0);
    s.refused("p1", ops::settings_set{std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                                      std::nullopt, std::nullopt, std::nullopt, false, std::nullopt},
              errc::facilitator_only);
}

// Walks ("diagnostics en marchant")

namespace {

session walk() {
    session s;
    s.to_phase(phase::reveal);
    ops::settings_set categories;
    categories.categories = std::vector<std::string>{"Atout", "Difficulté", "Proposition"};
    s.ok("f1", categories);
    s.ok("f1", ops::stop_add{"s1", "Place du marché", "", geo_point{4885661, 235222, 0}});
    s.ok("f1", ops::stop_add{"s2", "École", "Les abords sont-ils sûrs ?", std::nullopt});
    return s;
}

ops::note_add walk_note(const std::string& id, std::optional<std::string> stop, std::optional<std::uint32_t> category,
                        std::optional<geo_point> location = std::nullopt) {
    ops::note_add o{id, "Une observation", color::yellow, {0, 0}, std::nullopt};
    o.stop = std::move(stop);
    o.category = category;
    o.location = location;
    return o;
}

}  // namespace

TEST_CASE("a walk's stops are the facilitator's, who moves the group from stop to stop") {
    session s = walk();
    s.refused("p1", ops::stop_add{"s3", "Parc", "", std::nullopt}, errc::facilitator_only);
    s.refused("p1", ops::stop_go{std::string("s1")}, errc::facilitator_only);
    s.refused("f1", ops::stop_go{std::string("s9")}, errc::unknown_stop);
    s.refused("f1", ops::stop_edit{"s9", "Parc", "", std::nullopt}, errc::unknown_stop);
    s.refused("f1", ops::stop_add{"s1", "Encore", "", std::nullopt}, errc::duplicate_id);
    s.ok("f1", ops::stop_go{std::string("s2")});
    CHECK(s.b.current_stop == "s2");
    s.ok("f1", ops::stop_edit{"s2", "École Jean Moulin", "", geo_point{4885800, 235400, 20}});
    CHECK(s.b.stops.at("s2").name == "École Jean Moulin");
    CHECK(s.b.stops.at("s2").place == geo_point{4885800, 235400, 20});
    s.ok("f1", ops::stop_go{std::nullopt});
    CHECK_FALSE(s.b.current_stop);
    for (std::size_t i = s.b.stops.size(); i < max_stops; ++i) {
        s.ok("f1", ops::stop_add{"x" + std::to_string(i), "Arrêt", "", std::nullopt});
    }
    s.refused("f1", ops::stop_add{"x999", "Un de trop", "", std::nullopt}, errc::too_many_stops);
}

TEST_CASE("a walk's note names a stop and a category the session has") {
    session s = walk();
    s.refused("p1", walk_note("n1", std::string("s9"), std::nullopt), errc::unknown_stop);
    s.refused("p1", walk_note("n1", std::nullopt, 3u), errc::unknown_category);
    s.ok("p1", walk_note("n1", std::string("s1"), 2u, geo_point{4885702, 235301, 8}));
    const auto& n = s.b.notes.at("n1");
    CHECK(n.stop == "s1");
    CHECK(n.category == 2u);
    CHECK(n.location == geo_point{4885702, 235301, 8});
    // Moved to another stop by its author or the facilitator, never by someone else.
    s.refused("p2", ops::note_stop{"n1", std::string("s2")}, errc::not_author);
    s.refused("p1", ops::note_stop{"n1", std::string("s9")}, errc::unknown_stop);
    s.ok("p1", ops::note_stop{"n1", std::string("s2")});
    s.ok("f1", ops::note_stop{"n1", std::nullopt});
    CHECK_FALSE(s.b.notes.at("n1").stop);
}

TEST_CASE("a category still in use, in the bin too, cannot be taken off the list") {
    session s = walk();
    s.ok("p1", walk_note("n1", std::nullopt, 2u));
    ops::settings_set fewer;
    fewer.categories = std::vector<std::string>{"Atout", "Difficulté"};
    s.refused("f1", fewer, errc::category_in_use);
    s.ok("f1", ops::note_delete{"n1"});
    s.refused("f1", fewer, errc::category_in_use);
    ops::settings_set renamed;
    renamed.categories = std::vector<std::string>{"Atout", "Problème", "Idée", "Question"};
    s.ok("f1", renamed);
    CHECK(s.b.settings.categories.at(2) == "Idée");
}

TEST_CASE("deleting a stop keeps its notes, on no stop, and ends the group's stay there") {
    session s = walk();
    s.ok("f1", ops::stop_go{std::string("s1")});
    s.ok("p1", walk_note("n1", std::string("s1"), std::nullopt));
    s.ok("p1", walk_note("n2", std::string("s1"), std::nullopt));
    s.ok("p1", walk_note("n3", std::string("s2"), std::nullopt));
    s.ok("f1", ops::note_delete{"n2"});
    s.ok("f1", ops::stop_delete{"s1"});
    CHECK_FALSE(s.b.stops.count("s1"));
    CHECK_FALSE(s.b.current_stop);
    CHECK_FALSE(s.b.notes.at("n1").stop);
    CHECK(s.b.notes.at("n3").stop == "s2");
    s.ok("f1", ops::note_restore{"n2"});
    CHECK_FALSE(s.b.notes.at("n2").stop);
}

TEST_CASE("where a note was written is its author's and the facilitators' to see") {
    session s = walk();
    s.to_phase(phase::writing);
    const stamped_op e{s.b.seq + 1, 1'765'000'000'000, "p1",
                       walk_note("n1", std::string("s1"), 0u, geo_point{4885702, 235301, 8})};
    const auto who = apply(s.b, e);
    REQUIRE(who.ok());
    s.to_phase(phase::reveal);
    for (const auto& [viewer, sees] : std::vector<std::pair<std::string, bool>>{{"f1", true}, {"p1", true}, {"p2", false}}) {
        INFO("viewer " << viewer);
        const json state = project(s.b, viewer);
        REQUIRE(state["notes"].contains("n1"));
        CHECK(state["notes"]["n1"]["stop"] == "s1");
        CHECK(state["notes"]["n1"]["category"] == 0);
        CHECK(state["notes"]["n1"].contains("location") == sees);
        const auto event = project_event(s.b, e, audience{}, viewer);
        REQUIRE(event);
        CHECK((*event)["op"].contains("location") == sees);
        CHECK((*event)["op"]["stop"] == "s1");
        // The stops and where the group is are everyone's.
        CHECK(state["stops"]["s1"]["place"]["lat"] == 48.85661);
    }
    // Anonymity hides the author, not the author's own view of their note.
    ops::settings_set anonymous;
    anonymous.anonymous = true;
    s.ok("f1", anonymous);
    CHECK(project(s.b, "p1")["notes"]["n1"].contains("location"));
    CHECK_FALSE(project(s.b, "p2")["notes"]["n1"].contains("location"));
}

TEST_CASE("a note's photo: set by note.add, detached by its author or a facilitator, seen with the note") {
    session s = walk();
    s.to_phase(phase::writing);
    auto with_photo = walk_note("n1", std::string("s1"), std::nullopt);
    with_photo.photo = "k3v9q2m8x1c7b4n6";
    const stamped_op e{s.b.seq + 1, 1'765'000'000'000, "p1", with_photo};
    const auto who = apply(s.b, e);
    REQUIRE(who.ok());
    CHECK(s.b.notes.at("n1").photo == "k3v9q2m8x1c7b4n6");
    // During private writing: the author and the facilitators see it, with its photo; others not at all.
    CHECK(project(s.b, "p1")["notes"]["n1"]["photo"] == "k3v9q2m8x1c7b4n6");
    CHECK(facilitator_view(s.b)["notes"]["n1"]["photo"] == "k3v9q2m8x1c7b4n6");
    CHECK_FALSE(project(s.b, "p2")["notes"].contains("n1"));
    CHECK_FALSE(project_event(s.b, e, *who, "p2"));
    CHECK((*project_event(s.b, e, *who, "p1"))["op"]["photo"] == "k3v9q2m8x1c7b4n6");
    // Revealed: the photo follows the note, to everyone.
    s.to_phase(phase::reveal);
    CHECK(project(s.b, "p2")["notes"]["n1"]["photo"] == "k3v9q2m8x1c7b4n6");
    // A note without a photo has no such key.
    s.ok("p2", walk_note("n2", std::nullopt, std::nullopt));
    CHECK_FALSE(project(s.b, "p2")["notes"]["n2"].contains("photo"));

    // Someone else may not touch it; its author and the facilitators may.
    s.refused("p2", ops::note_photo{"n1", std::nullopt}, errc::not_author);
    s.refused("f1", ops::note_photo{"n9", std::nullopt}, errc::unknown_note);
    s.ok("f1", ops::note_photo{"n1", std::nullopt});
    CHECK_FALSE(s.b.notes.at("n1").photo);
    CHECK_FALSE(project(s.b, "p1")["notes"]["n1"].contains("photo"));
    s.ok("p1", ops::note_photo{"n1", std::string("a1b2c3d4e5f6g7h8")});
    CHECK(s.b.notes.at("n1").photo == "a1b2c3d4e5f6g7h8");
    // Through the bin and back, with its photo; and the state reads back the same.
    s.ok("f1", ops::note_delete{"n1"});
    s.ok("f1", ops::note_restore{"n1"});
    CHECK(s.b.notes.at("n1").photo == "a1b2c3d4e5f6g7h8");
    const auto again = board_from_json(to_json(s.b));
    REQUIRE(again.ok());
    CHECK(*again == s.b);
}

TEST_CASE("a walk's board tidied by stop: one column per stop in the route's order, then the notes at no stop") {
    session s = walk();  // stops s1, s2 (in that order)
    s.ok("p1", walk_note("n1", std::string("s2"), std::nullopt));
    s.ok("p1", walk_note("n2", std::nullopt, std::nullopt));
    s.ok("p1", walk_note("n3", std::string("s1"), std::nullopt));
    s.ok("p1", walk_note("n4", std::string("s2"), std::nullopt));
    s.ok("f1", ops::theme_create{"t1", "Se déplacer", {0, 0}});
    s.ok("f1", ops::theme_create{"t2", "Se poser", {0, 0}});
    s.ok("f1", ops::note_group{"n4", std::string("t2")});  // in a theme: its place is the theme's

    const stamped_op tidy = stamp(s.b, ops::board_arrange{{}, {}, true}, 1'765'000'000'000, "f1");
    const auto& placed = std::get<ops::board_arrange>(tidy.op);
    CHECK(placed.by_stop == true);
    CHECK(placed.notes == std::vector<placement>{{"n1", {spot_width, 0}},
                                                 {"n2", {2 * spot_width, 0}},
                                                 {"n3", {0, 0}}});
    // Three columns (two stops, then "no stop"), then the themes.
    const std::int32_t first = 3 * spot_width + theme_gap;
    CHECK(placed.themes == std::vector<placement>{{"t1", {first, 0}}, {"t2", {first + theme_spot_width, 0}}});
    REQUIRE(apply(s.b, tidy).ok());
    CHECK(s.b.notes.at("n3").at == point{0, 0});

    // Down its column, in the order they were written.
    s.ok("f1", ops::note_group{"n4", std::nullopt});
    const auto again = std::get<ops::board_arrange>(stamp(s.b, ops::board_arrange{{}, {}, true}, 0, "f1").op);
    CHECK(std::find(again.notes.begin(), again.notes.end(), placement{"n4", {spot_width, spot_height}}) !=
          again.notes.end());
    // The usual tidy board does not know of stops.
    CHECK_FALSE(std::get<ops::board_arrange>(stamp(s.b, ops::board_arrange{}, 0, "f1").op).by_stop);
}
