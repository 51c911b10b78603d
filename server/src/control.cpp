#include "control.hpp"

#include <spdlog/spdlog.h>
#include <sys/stat.h>

#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app.hpp"

namespace ruche::server {
namespace {

namespace net = boost::asio;
using local = net::local::stream_protocol;
using json = nlohmann::json;

constexpr std::size_t max_request = 4096;

json reply_json(const backup_reply& r) {
    if (!r.ok) return {{"ok", false}, {"error", r.error}};
    return {{"ok", true},
            {"backup",
             {{"id", r.backup.id}, {"time", r.backup.time}, {"bytes", r.backup.bytes}, {"files", r.backup.files}}}};
}

// What a request asks, done on the blocking pool: a backup copies files.
backup_reply answer(app& a, const std::string& line) {
    backup_reply r;
    const json request = json::parse(line, nullptr, false);
    if (!request.is_object() || request.value("command", "") != "backup" ||
        !request.contains("directory") || !request["directory"].is_string()) {
        r.error = "expected {\"command\": \"backup\", \"directory\": ..., \"keep\": N}";
        return r;
    }
    const std::string directory = request["directory"].get<std::string>();
    const json keep = request.value("keep", json(0));
    if (!std::filesystem::path(directory).is_absolute() || !keep.is_number_unsigned() ||
        keep.get<std::uint64_t>() > 100'000) {
        r.error = "the directory must be an absolute path, and keep a count";
        return r;
    }
    if (auto ec = a.logs.log().backup(directory, keep.get<std::uint32_t>(), r.backup)) {
        r.error = ec.message();
        spdlog::error("backup into {} failed: {}", directory, r.error);
        return r;
    }
    r.ok = true;
    spdlog::info("backup {} into {}: {} files, {} bytes", r.backup.id, directory, r.backup.files, r.backup.bytes);
    return r;
}

// One request on one connection, then the connection closes.
struct control_connection : std::enable_shared_from_this<control_connection> {
    control_connection(app& a, local::socket s) : app_(a), socket(std::move(s)) {}

    void start() {
        net::async_read_until(socket, net::dynamic_buffer(request, max_request), '\n',
                              [self = shared_from_this()](boost::system::error_code ec, std::size_t n) {
                                  if (ec) return;  // gone, or a line too long: nothing to answer
                                  self->request.resize(n - 1);
                                  self->work();
                              });
    }

    void work() {
        net::post(app_.blocking, [self = shared_from_this()] {
            const auto r = answer(self->app_, self->request);
            net::post(self->socket.get_executor(), [self, text = reply_json(r).dump() + "\n"]() mutable {
                self->reply = std::move(text);
                net::async_write(self->socket, net::buffer(self->reply),
                                 [self](boost::system::error_code, std::size_t) {});
            });
        });
    }

    app& app_;
    local::socket socket;
    std::string request;
    std::string reply;
};

}  // namespace

std::string control_socket_path(const std::string& data_dir) {
    return (std::filesystem::path(data_dir) / "control.sock").string();
}

control_listener::control_listener(app& a, std::string path, boost::system::error_code& ec)
    : app_(a), path_(std::move(path)), acceptor_(a.ioc) {
    // The database's lock is ours: a socket file here is a stopped server's.
    std::error_code removed;
    std::filesystem::remove(path_, removed);
    const local::endpoint endpoint(path_);
    if (acceptor_.open(endpoint.protocol(), ec)) return;
    // Closed to everyone else from the start: bind under a umask of 077.
    const mode_t before = ::umask(077);
    acceptor_.bind(endpoint, ec);
    ::umask(before);
    if (ec) return;
    acceptor_.listen(8, ec);
}

void control_listener::run() {
    do_accept();
}

void control_listener::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
    std::error_code removed;
    std::filesystem::remove(path_, removed);
}

void control_listener::do_accept() {
    acceptor_.async_accept([self = shared_from_this()](boost::system::error_code ec, local::socket s) {
        if (ec == net::error::operation_aborted || !self->acceptor_.is_open()) return;
        if (!ec) std::make_shared<control_connection>(self->app_, std::move(s))->start();
        self->do_accept();
    });
}

std::error_code ask_for_backup(const std::string& socket_path, const std::string& directory,
                               std::uint32_t keep, backup_reply& out) {
    out = {};
    net::io_context io;
    local::socket socket(io);
    boost::system::error_code ec;
    if (socket.connect(local::endpoint(socket_path), ec)) return ec;
    const std::string line = json{{"command", "backup"}, {"directory", directory}, {"keep", keep}}.dump() + "\n";
    if (net::write(socket, net::buffer(line), ec); ec) return ec;
    std::string answer;
    const std::size_t n = net::read_until(socket, net::dynamic_buffer(answer, 1 << 16), '\n', ec);
    if (ec) return ec;
    const json reply = json::parse(answer.substr(0, n), nullptr, false);
    if (!reply.is_object() || !reply.value("ok", false)) {
        out.error = reply.is_object() ? reply.value("error", "the server gave no reason") : "the server's answer is not JSON";
        return {};
    }
    const json& b = reply["backup"];
    out.ok = true;
    out.backup = {b.value("id", 0u), b.value("time", std::int64_t{0}), b.value("bytes", std::uint64_t{0}),
                  b.value("files", 0u)};
    return {};
}

}  // namespace ruche::server
