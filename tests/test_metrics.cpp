#include <catch2/catch.hpp>
#include <limits>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "metrics.hpp"

using namespace ruche::server;

namespace {

// Sample lines of an exposition, "name{labels}" -> value text.
std::map<std::string, std::string> samples(const std::string& text) {
    std::map<std::string, std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        out[line.substr(0, space)] = line.substr(space + 1);
    }
    return out;
}

bool has_line(const std::string& text, const std::string& line) {
    return ('\n' + text).find('\n' + line + '\n') != std::string::npos;
}

const std::vector<std::pair<std::string, std::string>> expected_metrics = {
    {"ruche_connections", "gauge"},
    {"ruche_connections_total", "counter"},
    {"ruche_http_requests_total", "counter"},
    {"ruche_sessions_loaded", "gauge"},
    {"ruche_sessions_created_total", "counter"},
    {"ruche_ops_applied_total", "counter"},
    {"ruche_ops_rejected_total", "counter"},
    {"ruche_ops_duplicate_total", "counter"},
    {"ruche_frames_sent_total", "counter"},
    {"ruche_bytes_queued", "gauge"},
    {"ruche_slow_consumers_closed_total", "counter"},
    {"ruche_rate_limited_total", "counter"},
    {"ruche_op_log_append_seconds", "histogram"},
    {"ruche_op_log_append_batch_size", "histogram"},
};

}  // namespace

TEST_CASE("every metric is rendered with its help, type and a zero value") {
    const metrics m;
    const std::string text = m.render();
    REQUIRE(!text.empty());
    CHECK(text.back() == '\n');
    const auto values = samples(text);
    for (const auto& [name, type] : expected_metrics) {
        INFO(name);
        CHECK(text.find("# HELP " + name + ' ') != std::string::npos);
        CHECK(has_line(text, "# TYPE " + name + ' ' + type));
        if (type == "histogram") {
            CHECK(values.at(name + "_count") == "0");
            CHECK(values.at(name + "_sum") == "0");
            CHECK(values.at(name + "_bucket{le=\"+Inf\"}") == "0");
        } else {
            CHECK(values.at(name) == "0");
        }
    }
}

TEST_CASE("every line follows the text exposition format") {
    metrics m;
    m.op_log_append_seconds.observe(0.002);
    const std::regex comment(R"(# (HELP [a-z_]+ .+|TYPE [a-z_]+ (counter|gauge|histogram)))");
    const std::regex sample(R"([a-z_]+(\{le="[^"]+"\})? -?[0-9][0-9.e+-]*)");
    std::istringstream in(m.render());
    std::string last_type;
    for (std::string line; std::getline(in, line);) {
        INFO(line);
        CHECK((std::regex_match(line, comment) || std::regex_match(line, sample)));
        if (line.rfind("# TYPE ", 0) == 0) {
            const auto name = line.substr(7, line.find(' ', 7) - 7);
            CHECK(name != last_type);  // each metric family once
            last_type = name;
        } else if (line[0] != '#') {
            CHECK(line.rfind(last_type, 0) == 0);  // samples follow their TYPE line
        }
    }
}

TEST_CASE("counters and gauges show their current values") {
    metrics m;
    m.connections.add(3);
    m.connections.sub(1);
    m.connections_total.inc();
    m.connections_total.inc();
    m.connections_total.inc();
    m.ops_applied_total.inc(40);
    m.ops_applied_total.inc(2);
    m.bytes_queued.set(1 << 20);
    m.sessions_loaded.set(5);
    m.sessions_loaded.sub(7);
    const std::string text = m.render();
    CHECK(has_line(text, "ruche_connections 2"));
    CHECK(has_line(text, "ruche_connections_total 3"));
    CHECK(has_line(text, "ruche_ops_applied_total 42"));
    CHECK(has_line(text, "ruche_bytes_queued 1048576"));
    CHECK(has_line(text, "ruche_sessions_loaded -2"));
    CHECK(has_line(text, "ruche_ops_rejected_total 0"));
    CHECK(m.ops_applied_total.value() == 42);
    CHECK(m.connections.value() == 2);
}

TEST_CASE("latency buckets are cumulative, inclusive, with sum and count") {
    metrics m;
    auto& h = m.op_log_append_seconds;
    h.observe(0.00003);  // <= 50µs
    h.observe(0.0003);   // <= 500µs
    h.observe(0.001);    // exactly on the 1ms bound: counts in le="0.001"
    h.observe(0.004);    // <= 5ms
    h.observe(2.0);      // above 1s: +Inf only
    h.observe(std::numeric_limits<double>::quiet_NaN());  // ignored
    const auto v = samples(m.render());
    const std::string b = "ruche_op_log_append_seconds_bucket{le=\"";
    CHECK(v.at(b + "0.00005\"}") == "1");
    CHECK(v.at(b + "0.0001\"}") == "1");
    CHECK(v.at(b + "0.00025\"}") == "1");
    CHECK(v.at(b + "0.0005\"}") == "2");
    CHECK(v.at(b + "0.001\"}") == "3");
    CHECK(v.at(b + "0.0025\"}") == "3");
    CHECK(v.at(b + "0.005\"}") == "4");
    CHECK(v.at(b + "0.5\"}") == "4");
    CHECK(v.at(b + "1\"}") == "4");
    CHECK(v.at(b + "+Inf\"}") == "5");
    CHECK(v.at("ruche_op_log_append_seconds_count") == "5");
    CHECK(std::stod(v.at("ruche_op_log_append_seconds_sum")) == Approx(2.00533));
    CHECK(h.count() == 5);
    // 14 finite bounds from 50µs to 1s, then +Inf.
    CHECK(h.cumulative_counts().size() == 15);
}

TEST_CASE("batch sizes use op-count buckets") {
    metrics m;
    auto& h = m.op_log_append_batch_size;
    for (const double n : {1.0, 1.0, 3.0, 100.0, 250.0}) h.observe(n);
    const auto v = samples(m.render());
    const std::string b = "ruche_op_log_append_batch_size_bucket{le=\"";
    CHECK(v.at(b + "1\"}") == "2");
    CHECK(v.at(b + "2\"}") == "2");
    CHECK(v.at(b + "5\"}") == "3");
    CHECK(v.at(b + "50\"}") == "3");
    CHECK(v.at(b + "100\"}") == "4");
    CHECK(v.at(b + "+Inf\"}") == "5");
    CHECK(v.count(b + "0.001\"}") == 0);
    CHECK(v.at("ruche_op_log_append_batch_size_sum") == "355");
    CHECK(v.at("ruche_op_log_append_batch_size_count") == "5");
}

TEST_CASE("histogram bounds are sorted and deduplicated, +Inf always last") {
    histogram h({5, 1, 1, std::numeric_limits<double>::infinity(), 2});
    CHECK(h.upper_bounds() == std::vector<double>{1, 2, 5});
    h.observe(1.5);
    h.observe(7);
    CHECK(h.cumulative_counts() == std::vector<std::uint64_t>{0, 1, 1, 2});
    CHECK(h.sum() == 8.5);
}

TEST_CASE("increments from several threads all count") {
    metrics m;
    constexpr int threads = 4;
    constexpr int per_thread = 100000;
    std::vector<std::thread> workers;
    for (int t = 0; t < threads; ++t) {
        workers.emplace_back([&m] {
            for (int i = 0; i < per_thread; ++i) {
                m.frames_sent_total.inc();
                m.connections.add(2);
                m.connections.sub(1);
                m.op_log_append_seconds.observe(0.5);
            }
        });
    }
    for (auto& w : workers) w.join();
    constexpr auto total = std::uint64_t{threads} * per_thread;
    CHECK(m.frames_sent_total.value() == total);
    CHECK(m.connections.value() == static_cast<std::int64_t>(total));
    CHECK(m.op_log_append_seconds.count() == total);
    CHECK(m.op_log_append_seconds.sum() == 0.5 * static_cast<double>(total));
    const auto v = samples(m.render());
    CHECK(v.at("ruche_frames_sent_total") == std::to_string(total));
    CHECK(v.at("ruche_op_log_append_seconds_bucket{le=\"0.25\"}") == "0");
    CHECK(v.at("ruche_op_log_append_seconds_bucket{le=\"0.5\"}") == std::to_string(total));
}
