// The C++ side of the reducer contract (client-web/tests/reducer-contract.mjs):
// folds a session's log with `apply` and prints, one JSON text a line, the
// empty board, then for every op the stamped op and the canonical state right
// after it (`to_json(board).dump()`, keys sorted as nlohmann's default object
// keeps them). The web client's reducer must fold the same ops to the same
// bytes.
//
//   reducer_contract_fold file <session.json>   a file whose "log" holds stamped ops
//   reducer_contract_fold random <seed> <ops>  a seeded random session
//
// Exits 1 if an op of the file is refused: the fixture must be a log a
// server could have written.

#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "random_session.hpp"
#include "ruche/board/board.hpp"
#include "ruche/wire/board_json.hpp"
#include "ruche/wire/codec.hpp"

namespace {

using namespace ruche::protocol;

int fail(const std::string& why) {
    std::cerr << "reducer_contract_fold: " << why << '\n';
    return 1;
}

void print(const board& b, const std::vector<stamped_op>& log) {
    board folded;
    std::cout << to_json(folded).dump() << '\n';
    for (const auto& s : log) {
        if (!apply(folded, s)) std::abort();  // already folded once by the caller
        std::cout << encode_stamped(s).dump() << '\n' << to_json(folded).dump() << '\n';
    }
    if (folded != b) std::abort();
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<std::string> args(argv + 1, argv + argc);
    board b;
    std::vector<stamped_op> log;
    if (args.size() == 2 && args[0] == "file") {
        std::ifstream in(args[1], std::ios::binary);
        if (!in) return fail("cannot read " + args[1]);
        std::stringstream text;
        text << in.rdbuf();
        auto j = parse_json(text.str());
        if (!j || !j->is_object() || !j->contains("log")) return fail(args[1] + ": no log");
        for (const auto& entry : j->at("log")) {
            auto s = decode_stamped(entry);
            if (!s) return fail(args[1] + ": " + entry.dump() + ": " + s.error().message());
            if (auto applied = apply(b, *s); !applied) {
                return fail(args[1] + ": refused " + entry.dump() + ": " + applied.error().message());
            }
            log.push_back(*s);
        }
    } else if (args.size() == 3 && args[0] == "random") {
        log = ruche::testing::generate_log(static_cast<std::uint32_t>(std::stoul(args[1])),
                                           std::stoul(args[2]), b);
    } else {
        return fail("usage: reducer_contract_fold file <session.json> | random <seed> <ops>");
    }
    print(b, log);
    return 0;
}
