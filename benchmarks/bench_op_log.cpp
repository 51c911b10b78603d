// Op log micro-benchmarks: append throughput per durability mode and batch
// size, group commit of concurrent fsync appends, and reading a session back.
// items_per_second counts records (ops). The database lives in a fresh
// directory under the system temp dir (honours TMPDIR): point TMPDIR at the
// disk you care about, fsync numbers on tmpfs mean nothing.

#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <system_error>
#include <vector>

#include "ruche/storage/op_log.hpp"

namespace {

namespace fs = std::filesystem;
namespace st = ruche::storage;

// A database in a directory of its own, removed on destruction.
class scratch_log {
  public:
    explicit scratch_log(st::durability mode) {
        std::mt19937_64 random(static_cast<std::uint64_t>(
            std::chrono::steady_clock::now().time_since_epoch().count()));
        dir_ = fs::temp_directory_path() / ("ruche-bench-op-log-" + std::to_string(random()));
        st::options opts;
        opts.mode = mode;
        error_ = st::open_rocksdb_op_log(dir_.string(), opts, log_);
    }
    ~scratch_log() {
        log_.reset();
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    scratch_log(const scratch_log&) = delete;
    scratch_log& operator=(const scratch_log&) = delete;

    std::error_code error() const { return error_; }
    st::op_log& log() { return *log_; }

  private:
    fs::path dir_;
    std::error_code error_;
    std::unique_ptr<st::op_log> log_;
};

// About 200 bytes, the size of a typical note operation.
const std::string note_payload =
    R"({"type":"add_note","note":{"id":"n-7f3a9c21","author":"p-51e0b2",)"
    R"("column":"idees","color":"yellow","text":"Installer des bancs a l'ombre )"
    R"(pres de l'arret de bus : les personnes agees attendent debout au soleil."}})";

// "bench00000000007" for index 7: distinct indexes give distinct sessions.
std::string session_for(int index) {
    const std::string digits = std::to_string(index);
    std::string id = "bench";
    id.append(st::session_id_size - id.size() - digits.size(), '0');
    return id + digits;
}

// Fills seqs and client op ids of `batch` for the records after `head`.
void number(std::vector<st::record>& batch, std::uint64_t head) {
    for (auto& r : batch) {
        r.seq = ++head;
        r.client_op_id = "op-" + std::to_string(r.seq);
    }
}

void append_batches(benchmark::State& state, st::durability mode) {
    scratch_log db(mode);
    if (db.error()) {
        state.SkipWithError(db.error().message().c_str());
        return;
    }
    const auto batch_size = static_cast<std::size_t>(state.range(0));
    const std::string session = session_for(0);
    std::vector<st::record> batch(batch_size, st::record{0, {}, note_payload});
    std::uint64_t head = 0;
    for (auto _ : state) {
        number(batch, head);  // timed too: a caller builds its records
        if (db.log().append(session, batch)) {
            state.SkipWithError("append failed");
            break;
        }
        head += batch_size;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(head));
    state.SetLabel("ops");
}

void BM_append_wal(benchmark::State& state) {
    append_batches(state, st::durability::wal);
}
void BM_append_fsync(benchmark::State& state) {
    append_batches(state, st::durability::fsync);
}

// Rates are per wall-clock second: an append mostly waits for the disk.
BENCHMARK(BM_append_wal)->ArgName("batch")->Arg(1)->Arg(10)->Arg(100)->UseRealTime()->MinTime(0.3);
BENCHMARK(BM_append_fsync)
    ->ArgName("batch")
    ->Arg(1)
    ->Arg(10)
    ->Arg(100)
    ->UseRealTime()
    ->MinTime(0.3);

// One database shared by the threads of a run, each thread appending single
// records to its own session: RocksDB merges concurrent writers into one
// write group, so several appends share one WAL fsync.
std::unique_ptr<scratch_log> shared_log;

void BM_append_fsync_concurrent(benchmark::State& state) {
    // Thread 0 sets up before, and tears down after, the barriers that
    // benchmark puts at the start and the end of the timed loop.
    if (state.thread_index() == 0)
        shared_log = std::make_unique<scratch_log>(st::durability::fsync);
    const std::string session = session_for(state.thread_index());
    std::vector<st::record> batch(1, st::record{0, {}, note_payload});
    std::uint64_t head = 0;
    for (auto _ : state) {
        if (shared_log->error()) {
            state.SkipWithError(shared_log->error().message().c_str());
            break;
        }
        number(batch, head);
        if (shared_log->log().append(session, batch)) {
            state.SkipWithError("append failed");
            break;
        }
        ++head;
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(head));
    state.SetLabel("ops");
    if (state.thread_index() == 0) shared_log.reset();
}

BENCHMARK(BM_append_fsync_concurrent)
    ->Threads(1)
    ->Threads(4)
    ->Threads(16)
    ->UseRealTime()
    ->MinTime(0.3);

// Reading a whole session of 10k records back, as a replay or a restart does.
// Arg 0: the records are still in the memtable; 1: flushed to SST files.
void BM_read_session(benchmark::State& state) {
    constexpr std::uint64_t record_count = 10'000;
    scratch_log db(st::durability::wal);
    if (db.error()) {
        state.SkipWithError(db.error().message().c_str());
        return;
    }
    const std::string session = session_for(0);
    std::vector<st::record> batch(100, st::record{0, {}, note_payload});
    for (std::uint64_t head = 0; head < record_count; head += batch.size()) {
        number(batch, head);
        if (db.log().append(session, batch)) {
            state.SkipWithError("append failed");
            return;
        }
    }
    if (state.range(0) != 0 && db.log().flush()) {
        state.SkipWithError("flush failed");
        return;
    }
    std::vector<st::record> out;
    for (auto _ : state) {
        if (db.log().read(session, 1, record_count, out) || out.size() != record_count) {
            state.SkipWithError("read failed");
            break;
        }
        benchmark::DoNotOptimize(out.data());
    }
    state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(record_count));
    state.SetLabel("records");
}

BENCHMARK(BM_read_session)->ArgName("flushed")->Arg(0)->Arg(1)->MinTime(0.3);

}  // namespace
