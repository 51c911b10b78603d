// Micro-benchmarks of the pure core: JSON decode and encode per op, apply per
// op, and serialising the whole state.

#include <benchmark/benchmark.h>

#include "random_session.hpp"
#include "ruche/board/board.hpp"
#include "ruche/wire/board_json.hpp"
#include "ruche/wire/record.hpp"

using namespace ruche;

namespace {

// A realistic log: 20k candidates folded, the applied ones kept.
struct sample {
    protocol::board final_board;
    std::vector<protocol::stamped_op> log;
    std::vector<std::string> bytes;

    sample() {
        log = testing::generate_log(42, 20000, final_board);
        for (const auto& s : log) bytes.push_back(protocol::serialize_stamped(s));
    }
};

const sample& data() {
    static const sample s;
    return s;
}

void BM_decode_op(benchmark::State& state) {
    const auto& d = data();
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        const auto& text = d.bytes[i++ % d.bytes.size()];
        bytes += text.size();
        auto s = protocol::parse_stamped(text);
        benchmark::DoNotOptimize(s);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_decode_op);

// The op log's record format, against the JSON decode above as baseline.
void BM_decode_record(benchmark::State& state) {
    const auto& d = data();
    std::vector<std::string> records;
    for (const auto& s : d.log) records.push_back(protocol::encode_record(s));
    std::size_t i = 0, bytes = 0;
    for (auto _ : state) {
        const auto& record = records[i++ % records.size()];
        bytes += record.size();
        auto s = protocol::decode_record(record);
        benchmark::DoNotOptimize(s);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}
BENCHMARK(BM_decode_record);

void BM_encode_record(benchmark::State& state) {
    const auto& d = data();
    std::size_t i = 0;
    for (auto _ : state) {
        auto bytes = protocol::encode_record(d.log[i++ % d.log.size()]);
        benchmark::DoNotOptimize(bytes);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_encode_record);

void BM_encode_op(benchmark::State& state) {
    const auto& d = data();
    std::size_t i = 0;
    for (auto _ : state) {
        auto text = protocol::serialize_stamped(d.log[i++ % d.log.size()]);
        benchmark::DoNotOptimize(text);
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(BM_encode_op);

// Applying the whole log to an empty board, op by op (decoded ops in memory).
void BM_apply(benchmark::State& state) {
    const auto& d = data();
    for (auto _ : state) {
        protocol::board b;
        for (const auto& s : d.log) {
            auto r = protocol::apply(b, s);
            benchmark::DoNotOptimize(r);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.log.size()));
}
BENCHMARK(BM_apply)->Unit(benchmark::kMillisecond);

// Decode + apply of the log's bytes: what folding costs without storage.
void BM_decode_and_apply(benchmark::State& state) {
    const auto& d = data();
    for (auto _ : state) {
        protocol::board b;
        for (const auto& text : d.bytes) {
            auto s = protocol::parse_stamped(text);
            auto r = protocol::apply(b, *s);
            benchmark::DoNotOptimize(r);
        }
    }
    state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * d.bytes.size()));
}
BENCHMARK(BM_decode_and_apply)->Unit(benchmark::kMillisecond);

void BM_serialize_state(benchmark::State& state) {
    const auto& d = data();
    for (auto _ : state) {
        auto text = protocol::serialize(d.final_board);
        benchmark::DoNotOptimize(text);
    }
    state.counters["notes"] = static_cast<double>(d.final_board.notes.size());
}
BENCHMARK(BM_serialize_state)->Unit(benchmark::kMicrosecond);

}  // namespace
