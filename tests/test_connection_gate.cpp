// Fair shares of the connection places: per address, unjoined, overflow.

#include <catch2/catch.hpp>

#include <vector>

#include "connection_gate.hpp"

using ruche::server::connection_gate;
using ruche::server::connection_slot;
using place = connection_gate::place;

TEST_CASE("one address cannot take every place; the others still get in") {
    connection_gate gate({.max_total = 20, .max_pending = 15, .per_address = 8,
                          .pending_per_address = 5, .overflow = 4});
    std::vector<connection_slot> attacker;
    for (int i = 0; i < 5; ++i) {
        attacker.emplace_back(gate, "10.0.0.66");
        REQUIRE(attacker.back().place() == place::pending);
    }
    // Unjoined share used up: the next ones only get the overflow lane, and
    // at most a quarter of it.
    connection_slot more(gate, "10.0.0.66");
    CHECK(more.place() == place::overflow);
    connection_slot refused(gate, "10.0.0.66");
    CHECK(refused.place() == place::none);
    connection_slot other(gate, "10.0.0.7");
    CHECK(other.place() == place::pending);

    // Joined connections leave the unjoined share, up to the address's share.
    for (auto& s : attacker) CHECK(s.promote());
    std::vector<connection_slot> second;
    for (int i = 0; i < 3; ++i) second.emplace_back(gate, "10.0.0.66");
    for (auto& s : second) CHECK(s.place() == place::pending);
    // 8 held: the address's share; its quarter of the overflow lane is
    // `more`'s. Another address still gets in.
    connection_slot over(gate, "10.0.0.66");
    CHECK(over.place() == place::none);
    connection_slot another(gate, "10.0.0.8");
    CHECK(another.place() == place::pending);
    CHECK(gate.total() == 10);

    // Everything is given back.
    attacker.clear();
    second.clear();
    CHECK(gate.total() == 2);
    CHECK(gate.pending() == 2);
}

TEST_CASE("places kept for joined connections: unjoined ones cannot take them") {
    connection_gate gate({.max_total = 10, .max_pending = 6, .per_address = 10,
                          .pending_per_address = 10, .overflow = 0});
    std::vector<connection_slot> joined;
    std::vector<connection_slot> silent;
    for (int i = 0; i < 6; ++i) silent.emplace_back(gate, "10.0.1." + std::to_string(i));
    connection_slot seventh(gate, "10.0.2.1");
    CHECK(seventh.place() == place::none);  // the unjoined share is full
    // A silent one joins: its place frees one unjoined place.
    CHECK(silent[0].promote());
    connection_slot newcomer(gate, "10.0.2.1");
    CHECK(newcomer.place() == place::pending);
    CHECK(gate.total() == 7);
}

TEST_CASE("a moved slot is given back once") {
    connection_gate gate({.max_total = 2, .max_pending = 2, .per_address = 2,
                          .pending_per_address = 2, .overflow = 0});
    {
        connection_slot a(gate, "10.0.0.1");
        connection_slot b(std::move(a));
        CHECK(a.place() == place::none);
        CHECK(gate.total() == 1);
        connection_slot c;
        c = std::move(b);
        CHECK(gate.total() == 1);
    }
    CHECK(gate.total() == 0);
}
