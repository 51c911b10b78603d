// Generated from protocol/ (protocol/wire/src/vocabulary_js.cpp) by
//   cmake --build --preset ci --target vocabulary-js
// Do not edit: the suite checks that this file is what the server knows.

// Op kinds, in the order of the protocol's `op` variant.
export const KINDS = Object.freeze(["note.add","note.edit","note.move","note.color","note.delete","note.merge","note.group","theme.create","theme.rename","theme.move","theme.delete","theme.synthesis","vote.add","vote.remove","phase.set","board.lock","timer.start","timer.stop","settings.set","participant.join","participant.rename","participant.leave","note.restore","theme.restore","action.add","action.edit","action.delete","attendance.set","board.arrange","note.stop","stop.add","stop.edit","stop.delete","stop.go","note.photo"]);

// Note colours, as the wire names them.
export const COLORS = Object.freeze(["yellow","pink","blue","green","orange","purple"]);

// Phases of a session, in their usual order.
export const PHASES = Object.freeze(["writing","reveal","clustering","voting","synthesis","closed"]);

// Participant profiles a session may offer.
export const PROFILES = Object.freeze(["habitant","agent","association","institution","elu","autre"]);

// Roles of a participant.
export const ROLES = Object.freeze(["participant","facilitator"]);

// What the codec accepts at most (lengths in Unicode code points; a session may
// set a smaller note length).
export const LIMITS = Object.freeze({"action_chars":300,"action_detail_chars":200,"categories":8,"category_chars":40,"coordinate":1000000,"geo_accuracy":100000,"geo_scale":100000,"id_chars":64,"name_chars":60,"note_chars":5000,"question_chars":1000,"retention_days":3650,"scribe_attendance":1000,"stops":100,"synthesis_chars":10000,"time_zone_chars":64,"timer_seconds":86400,"title_chars":200,"vote_budget":100});

// The grid the server places notes on and the width of a theme's column
// (free_spot, theme_spot, arrangement).
export const LAYOUT = Object.freeze({"spot_columns":4,"spot_height":260,"spot_width":300,"theme_gap":40,"theme_spot_width":360});

// The board before its first op, as the server serialises `board{}`.
export const EMPTY_BOARD = Object.freeze({"actions":{},"created_time":0,"current_stop":null,"deleted_notes":{},"deleted_themes":{},"locked":false,"notes":{},"participants":{},"phase":"writing","phases":[],"scribe_attendance":{},"seq":0,"settings":{"anonymous":true,"categories":[],"hidden_votes":false,"note_max_length":500,"profiles":["habitant","agent","association","institution","elu","autre"],"question":"","retention_days":0,"time_zone":"","title":"","vote_budget":5},"stops":{},"themes":{},"timer":null,"updated_time":0});
