#pragma once

// The web client's copy of the vocabulary (`client-web/js/vocabulary.js`),
// written from the code it mirrors so the two cannot drift: op kinds,
// colours, phases, profiles, roles, the codec's limits, the server's layout
// grid and the empty board. The file is generated (server/tools/) and the
// suite checks that it is current.

#include <string>

namespace ruche::protocol {

std::string vocabulary_js();

}  // namespace ruche::protocol
