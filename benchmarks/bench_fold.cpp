// Folding a session from the RocksDB op log: read, decode and apply every op,
// from zero and from the newest checkpoint.

#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "random_session.hpp"
#include "ruche/server/session_log.hpp"

using namespace ruche;

namespace {

constexpr const char* session_id = "benchfold0000000";

class stored_session {
  public:
    explicit stored_session(std::uint64_t checkpoint_every) {
        std::random_device rd;
        dir_ =
            std::filesystem::temp_directory_path() / ("ruche-bench-fold-" + std::to_string(rd()));
        if (storage::open_rocksdb_op_log(dir_.string(), {}, log_)) std::abort();
        server::session_log sessions(*log_, checkpoint_every);
        protocol::board b;
        testing::random_session ops(42);
        std::vector<server::logged_op> batch;
        while (b.seq < 50000) {
            auto s = ops.next(b);
            if (!protocol::apply(b, s)) continue;
            batch.push_back({std::move(s), {}});
            if (batch.size() == 64) {
                if (sessions.append(session_id, batch, b)) std::abort();
                batch.clear();
            }
        }
        if (sessions.append(session_id, batch, b)) std::abort();
        if (log_->flush()) std::abort();
        ops_ = b.seq;
    }
    ~stored_session() {
        log_.reset();
        std::filesystem::remove_all(dir_);
    }
    storage::op_log& log() { return *log_; }
    std::uint64_t ops() const { return ops_; }

  private:
    std::filesystem::path dir_;
    std::unique_ptr<storage::op_log> log_;
    std::uint64_t ops_ = 0;
};

// A baseline in the same process: only reading the records, no decode/apply.
void BM_read_log(benchmark::State& state) {
    stored_session stored(0);
    std::vector<storage::record> records;
    for (auto _ : state) {
        std::uint64_t from = 1;
        for (;;) {
            records.clear();
            if (stored.log().read(session_id, from, 4096, records)) std::abort();
            if (records.empty()) break;
            from = records.back().seq + 1;
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * stored.ops()));
}
BENCHMARK(BM_read_log)->Unit(benchmark::kMillisecond);

void BM_fold_from_zero(benchmark::State& state) {
    stored_session stored(0);
    server::session_log sessions(stored.log(), 0);
    for (auto _ : state) {
        protocol::board b;
        if (sessions.load(session_id, b)) std::abort();
        benchmark::DoNotOptimize(b);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * stored.ops()));
}
BENCHMARK(BM_fold_from_zero)->Unit(benchmark::kMillisecond);

// Loading the head of the same session with a checkpoint every 1000 ops:
// items are the session's ops, so items/s says how fast it is "as if folded".
void BM_load_with_checkpoints(benchmark::State& state) {
    stored_session stored(1000);
    server::session_log sessions(stored.log(), 1000);
    for (auto _ : state) {
        protocol::board b;
        if (sessions.load(session_id, b)) std::abort();
        benchmark::DoNotOptimize(b);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * stored.ops()));
}
BENCHMARK(BM_load_with_checkpoints)->Unit(benchmark::kMillisecond);

}  // namespace
