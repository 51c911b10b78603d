#include "backup_command.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <memory>

#include "control.hpp"
#include "ruche/storage/op_log.hpp"

namespace ruche::server {
namespace {

std::string when(std::int64_t seconds) {
    const std::time_t t = static_cast<std::time_t>(seconds);
    std::tm utc{};
    gmtime_r(&t, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
    return text;
}

void say_backup(const storage::backup_info& b, const std::string& directory) {
    std::printf("Sauvegarde %u faite / Backup %u done: %s (%u files, %.1f MB, %s)\n", b.id, b.id,
                directory.c_str(), b.files, static_cast<double>(b.bytes) / 1e6, when(b.time).c_str());
}

bool no_server_there(const std::error_code& ec) {
    return ec == std::errc::no_such_file_or_directory || ec == std::errc::connection_refused;
}

// The backup without a server: the log opened here, then closed.
int backup_alone(const std::string& data_dir, const std::string& directory, std::uint32_t keep) {
    std::error_code fs_error;
    if (!std::filesystem::is_directory(data_dir, fs_error)) {
        spdlog::error("no op log in {}: nothing to back up", data_dir);
        return 1;
    }
    storage::options opts;
    opts.create_if_missing = false;
    std::unique_ptr<storage::op_log> log;
    if (auto ec = storage::open_rocksdb_op_log(data_dir, opts, log)) {
        spdlog::error("cannot open the op log in {}: {} (a server that holds it does not answer on {})",
                      data_dir, ec.message(), control_socket_path(data_dir));
        return 1;
    }
    storage::backup_info b;
    if (auto ec = log->backup(directory, keep, b)) {
        spdlog::error("the backup into {} failed: {}", directory, ec.message());
        return 1;
    }
    say_backup(b, directory);
    return 0;
}

}  // namespace

int backup_command(const std::string& data_dir, const std::string& directory, std::uint32_t keep) {
    const std::string target = std::filesystem::absolute(directory).lexically_normal().string();
    backup_reply reply;
    const auto ec = ask_for_backup(control_socket_path(data_dir), target, keep, reply);
    if (ec && no_server_there(ec)) return backup_alone(data_dir, target, keep);
    if (ec) {
        spdlog::error("cannot reach the server through {}: {} (run this as the server's user, or as root)",
                      control_socket_path(data_dir), ec.message());
        return 1;
    }
    if (!reply.ok) {
        spdlog::error("the server could not back up into {}: {}", target, reply.error);
        return 1;
    }
    say_backup(reply.backup, target);
    return 0;
}

int restore_command(const std::string& data_dir, const std::string& directory) {
    // A server that answers on the control socket holds the database.
    boost::asio::io_context io;
    boost::asio::local::stream_protocol::socket probe(io);
    boost::system::error_code running;
    probe.connect(boost::asio::local::stream_protocol::endpoint(control_socket_path(data_dir)), running);
    if (!running) {
        spdlog::error("a server is running on {}: stop it first, then restore", data_dir);
        return 1;
    }
    storage::backup_info b;
    if (auto ec = storage::restore_backup(directory, data_dir, b)) {
        if (ec == storage::errc::not_empty) {
            spdlog::error("{} is not empty: move it aside (for example to {}.old), then restore", data_dir, data_dir);
        } else if (ec == storage::errc::not_found) {
            spdlog::error("no backup in {}", directory);
        } else {
            spdlog::error("the restore from {} failed: {}", directory, ec.message());
        }
        return 1;
    }
    std::printf("Sauvegarde %u restaurée / Backup %u restored: %s, taken %s (%u files, %.1f MB)\n", b.id, b.id,
                data_dir.c_str(), when(b.time).c_str(), b.files, static_cast<double>(b.bytes) / 1e6);
    return 0;
}

}  // namespace ruche::server
