#pragma once

// What each viewer may see, decided in one place for the state, the events
// and the resumes. Visibility is an allow-list: a view is built field by
// field from a table that says who sees each field of the canonical state,
// so a field the table does not list is sent to nobody, facilitators
// included.

#include <optional>
#include <string_view>

#include "ruche/wire/board_json.hpp"

namespace ruche::protocol {

// The state as `viewer` may see it: during private writing, other people's
// notes removed; in anonymous sessions, other people's authorship and votes
// hidden; while votes are hidden, other people's dots and the totals; the bin
// for facilitators only. `viewer` "" is a board shown without joining.
json project(const board& b, std::string_view viewer);
// The same, built from `canonical` (what `to_json(b)` gives, possibly with
// fields the table does not know: those are dropped).
json project(const board& b, json canonical, std::string_view viewer);
// The state as every facilitator sees it, whether or not their own join is
// on the board yet.
json facilitator_view(const board& b);

// Whether `viewer` is told about the op at all: a private note's event
// reaches only its authors, a hidden vote only its voter (and facilitators).
bool sees_event(const board& after, const stamped_op& s, const audience& who,
                std::string_view viewer);

// The whole event, before any view: the stamped op, and what a client cannot
// work out from it alone (after a merge, how many distinct people wrote the
// kept note: authors may be redacted, and a person who wrote both counts once).
json board_event(const board& after, const stamped_op& s);

// The event for `viewer`, or nullopt when they may not see it. `after` is the
// board once the op is applied and `who` what `apply` returned for it. Like
// the state, the event is built key by key from the tables of visibility, so
// an op field they do not list reaches nobody.
std::optional<json> project_event(const board& after, const stamped_op& s, const audience& who,
                                  std::string_view viewer);
// The same, built from `event` (what `board_event` gives, possibly with keys
// the tables do not know: those are dropped).
std::optional<json> project_event(const board& after, const stamped_op& s, const audience& who,
                                  std::string_view viewer, json event);
// The event as every facilitator sees it.
json facilitator_event(const board& after, const stamped_op& s, const audience& who);

// Whether the votes of others are hidden from participants right now.
bool votes_hidden(const board& b);

}  // namespace ruche::protocol
