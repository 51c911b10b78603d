#pragma once

// Seeded random brainstorming sessions for tests and benchmarks: a facilitator
// and several participants send a realistic mix of ops, some of them invalid
// (wrong author, wrong phase, unknown ids), stamped as the server would.

#include <cstdint>
#include <random>
#include <vector>

#include "ruche/board/board.hpp"

namespace ruche::testing {

class random_session {
  public:
    explicit random_session(std::uint32_t seed, int participants = 6);

    // A candidate for the next op of `b`: stamped with b.seq + 1 and a later
    // time. `apply` may reject it, as the server would.
    protocol::stamped_op next(const protocol::board& b);

  private:
    protocol::op pick_op(const protocol::board& b, const std::string& actor);
    std::string pick_actor();
    std::string pick_note(const protocol::board& b);
    std::string pick_theme(const protocol::board& b);
    template <typename Map>
    std::string pick_key(const Map& m, const char* missing);
    std::string text();

    std::mt19937 rng_;
    std::vector<std::string> people_;
    std::int64_t clock_ = 1'764'000'000'000;
};

// Folds `count` candidates into `b` and returns the ops that applied, in order
// (the log a server would have written).
std::vector<protocol::stamped_op> generate_log(std::uint32_t seed, std::size_t count,
                                               protocol::board& b);

}  // namespace ruche::testing
