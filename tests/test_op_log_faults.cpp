// A failing disk under the op log: a full disk (ENOSPC) and I/O errors,
// injected under RocksDB through storage's fault switch. Every refused write
// changes nothing, reads go on, the process never aborts, and writing comes
// back by itself once the disk does.

#include <catch2/catch.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "ruche/storage/op_log.hpp"
#include "temp_dir.hpp"

namespace {

namespace st = ruche::storage;
using ruche::testing::temp_dir;
using kind = st::disk_faults::kind;

constexpr std::string_view session = "faultsfaults0001";

st::record rec(std::uint64_t seq) {
    return {seq, "op-" + std::to_string(seq), "payload-" + std::to_string(seq)};
}

struct faulty_log {
    explicit faulty_log(const temp_dir& dir, kind at_open = kind::none,
                        st::durability mode = st::durability::wal) {
        faults->set(at_open);
        st::options opts;
        opts.mode = mode;
        opts.faults = faults;
        opts.log = [this](st::log_severity, std::string_view line) { lines.emplace_back(line); };
        REQUIRE_FALSE(st::open_rocksdb_op_log(dir.str() + "/db", opts, log));
        REQUIRE(log);
    }
    std::shared_ptr<st::disk_faults> faults = std::make_shared<st::disk_faults>();
    std::vector<std::string> lines;
    std::unique_ptr<st::op_log> log;
};

std::vector<st::record> read_all(const st::op_log& log) {
    std::vector<st::record> out;
    REQUIRE_FALSE(log.read(session, 1, 1000, out));
    return out;
}

// Appends `r` until it is taken, for at most 15 s: the log tries to resume at
// most once a second, and RocksDB's own recovery from a full disk checks for
// free space every 5 s; this polls every 10 ms rather than spin.
std::error_code append_when_possible(st::op_log& log, const st::record& r) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    std::error_code ec;
    while ((ec = log.append(session, {r})) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return ec;
}

}  // namespace

TEST_CASE("a failing disk refuses writes and changes nothing; writing resumes by itself",
          "[op_log][faults]") {
    const auto fault = GENERATE(kind::no_space, kind::io_error);
    CAPTURE(static_cast<int>(fault));
    temp_dir dir;
    faulty_log f(dir);
    REQUIRE_FALSE(f.log->append(session, {rec(1)}));
    CHECK(f.log->health().writable);

    f.faults->set(fault);
    const auto refused = f.log->append(session, {rec(2)});
    REQUIRE(refused);
    CHECK(refused == (fault == kind::no_space ? st::errc::no_space : st::errc::io_error));
    CHECK_FALSE(f.log->health().writable);
    CHECK(f.log->health().failures >= 1);
    // Still refused, and nothing of it is there; reads are served.
    CHECK(f.log->append(session, {rec(2)}));
    CHECK(f.log->put_metadata(session, "meta"));
    const auto photo_refused = f.log->put_photo(session, "photo1", {"m", "full", "thumb"});
    CHECK(photo_refused);
    std::optional<std::string> photo;
    REQUIRE_FALSE(f.log->get_photo(session, "photo1", st::photo_part::full, photo));
    CHECK_FALSE(photo);
    std::uint64_t head = 0;
    REQUIRE_FALSE(f.log->head(session, head));
    CHECK(head == 1);
    REQUIRE(read_all(*f.log).size() == 1);
    std::optional<std::uint64_t> found;
    REQUIRE_FALSE(f.log->find_client_op(session, "op-2", found));
    CHECK_FALSE(found);

    // The disk is back: writing resumes (RocksDB resumes after a full disk;
    // after an I/O error the log opens itself again).
    f.faults->set(kind::none);
    REQUIRE_FALSE(append_when_possible(*f.log, rec(2)));
    CHECK(f.log->health().writable);
    REQUIRE_FALSE(f.log->append(session, {rec(3)}));
    f.log.reset();

    // What was taken is there after a reopen, dense, once.
    faulty_log again(dir);
    const auto records = read_all(*again.log);
    REQUIRE(records.size() == 3);
    for (std::uint64_t seq = 1; seq <= 3; ++seq) CHECK(records[seq - 1].payload == rec(seq).payload);
}

TEST_CASE("a disk full at start opens the log read-only, then read-write once it can",
          "[op_log][faults]") {
    temp_dir dir;
    {
        faulty_log f(dir);
        REQUIRE_FALSE(f.log->append(session, {rec(1), rec(2)}));
        REQUIRE_FALSE(f.log->put_metadata(session, "meta"));
    }
    faulty_log f(dir, kind::no_space);
    CHECK_FALSE(f.log->health().writable);
    bool told = false;
    for (const auto& line : f.lines) told = told || line.find("read-only") != std::string::npos;
    CHECK(told);
    // Reads: records, metadata, the list of sessions.
    CHECK(read_all(*f.log).size() == 2);
    std::optional<std::string> meta;
    REQUIRE_FALSE(f.log->get_metadata(session, meta));
    CHECK(meta == "meta");
    std::vector<std::string> sessions;
    REQUIRE_FALSE(f.log->list_sessions(sessions));
    CHECK(sessions == std::vector<std::string>{std::string(session)});
    CHECK(f.log->append(session, {rec(3)}) == st::errc::no_space);
    CHECK_FALSE(f.log->flush());  // nothing to flush, no error at shutdown

    f.faults->set(kind::none);
    REQUIRE_FALSE(append_when_possible(*f.log, rec(3)));
    CHECK(f.log->health().writable);
    CHECK(read_all(*f.log).size() == 3);
}

TEST_CASE("a power loss in fsync mode keeps every acknowledged append; in wal mode a prefix",
          "[op_log][faults]") {
    const auto mode = GENERATE(st::durability::fsync, st::durability::wal);
    CAPTURE(mode == st::durability::fsync ? "fsync" : "wal");
    temp_dir dir;
    faulty_log f(dir, kind::none, mode);
    std::uint64_t cuts = 0;
    for (std::uint64_t seq = 1; seq <= 300; ++seq) {
        REQUIRE_FALSE(f.log->append(session, {rec(seq)}));  // acknowledged from here on
        if (seq != 1 && seq != 37 && seq != 150 && seq != 300) continue;
        // The power goes now: what the disk holds is what was synced.
        const std::string cut = dir.str() + "/cut-" + std::to_string(seq);
        std::filesystem::create_directories(cut);
        REQUIRE(f.faults->copy_after_power_loss(dir.str() + "/db", cut));
        std::unique_ptr<st::op_log> after;
        REQUIRE_FALSE(st::open_rocksdb_op_log(cut, {}, after));
        const auto kept = read_all(*after);
        if (mode == st::durability::fsync) REQUIRE(kept.size() == seq);
        REQUIRE(kept.size() <= seq);
        for (std::size_t i = 0; i < kept.size(); ++i) {
            CHECK(kept[i].seq == i + 1);
            CHECK(kept[i].payload == rec(i + 1).payload);
        }
        std::optional<std::uint64_t> found;
        REQUIRE_FALSE(after->find_client_op(session, rec(seq).client_op_id, found));
        if (mode == st::durability::fsync) CHECK(found == seq);
        ++cuts;
    }
    CHECK(cuts == 4);
}
