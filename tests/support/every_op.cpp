#include "every_op.hpp"

namespace ruche::testing {

using namespace ruche::protocol;

std::vector<op> every_op() {
    return {
        ops::note_add{"n1",
                      "Créer un café des aidants\navec les bénévoles",
                      color::pink,
                      {120, -40},
                      std::nullopt},
        ops::note_add{"n2", "Visites à domicile", color::yellow, {0, 0}, profile::habitant},
        ops::note_edit{"n1", "Un café des aidants 🙂"},
        ops::note_move{"n1", {-1000000, 1000000}},
        ops::note_color{"n1", color::purple},
        ops::note_delete{"n1"},
        ops::note_merge{"n2", "n1"},
        ops::note_group{"n1", std::string("t1")},
        ops::note_group{"n1", std::nullopt},
        ops::theme_create{"t1", "Lien social", {300, 200}},
        ops::theme_rename{"t1", "Liens entre générations"},
        ops::theme_move{"t1", {5, 6}},
        ops::theme_delete{"t1"},
        ops::theme_synthesis{"t1", "Les habitants demandent des lieux de rencontre."},
        ops::vote_add{{vote_target::kind_t::note, "n1"}},
        ops::vote_add{{vote_target::kind_t::theme, "t1"}},
        ops::vote_remove{{vote_target::kind_t::note, "n1"}},
        ops::phase_set{phase::voting},
        ops::board_lock{true},
        ops::board_lock{false},
        ops::timer_start{300},
        ops::timer_stop{},
        ops::settings_set{"Atelier isolement",
                          "Comment lutter contre l'isolement des personnes âgées ?", 3u, false,
                          280u, std::vector<profile>{profile::habitant, profile::elu}, "Europe/Paris", true, 365u},
        ops::settings_set{std::nullopt, std::nullopt, 0u, std::nullopt, std::nullopt, std::nullopt,
                          std::nullopt, std::nullopt, std::nullopt},
        ops::participant_join{"p7", role::participant, "Josiane", profile::habitant},
        ops::participant_join{"f1", role::facilitator, "", std::nullopt},
        ops::participant_rename{"Jo", profile::association},
        ops::participant_leave{"p7"},
        ops::note_restore{"n1"},
        ops::theme_restore{"t1"},
        ops::action_add{"a9", "t1", "Ouvrir un café des aidants", "Le CCAS", "d'ici juin"},
        ops::action_add{"a10", "t1", "Faire un annuaire", "", ""},
        ops::action_edit{"a9", "Ouvrir un café des aidants le samedi", "CCAS et centre social", ""},
        ops::action_delete{"a9"},
        ops::attendance_set{profile::elu, 2},
        ops::attendance_set{profile::habitant, 0},
        ops::board_arrange{{{"n1", {0, 0}}, {"n2", {300, -260}}}, {{"t1", {1240, 0}}}},
        ops::board_arrange{},
    };
}

}  // namespace ruche::testing
