// ruche: the board server. One binary, one port: the web client, the JSON
// API and the WebSocket. Logs go to stderr; stdout only says where to go.

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>

#include "backup_command.hpp"
#include "check_config.hpp"
#include "photo_codec.hpp"
#include "control.hpp"
#include "ruche/board/ops.hpp"
#include "ruche/server/config.hpp"
#include "ruche/server/server.hpp"
#include "time_zone.hpp"

using namespace ruche;

int main(int argc, char** argv) {
    server::config cfg;
    std::string durability = "wal";
    std::string log_level = "info";

    CLI::App cli{"Ruche: real-time brainstorming board server"};
    cli.set_version_flag("--version", "ruche " RUCHE_VERSION);
    cli.set_config("--config", "", "read options from this TOML/INI file");
    // A misspelt key in the file is an error, not an option silently left out.
    cli.allow_config_extras(CLI::config_extras_mode::error);
    cli.add_option("--bind", cfg.bind,
                   "address to listen on; 0.0.0.0 for phones on the room's Wi-Fi")
        ->envname("RUCHE_BIND")
        ->capture_default_str();
    cli.add_option("--port", cfg.port, "TCP port")->envname("RUCHE_PORT")->capture_default_str();
    cli.add_option("--data-dir", cfg.data_dir, "where the op log (RocksDB) lives")
        ->envname("RUCHE_DATA_DIR")
        ->capture_default_str();
    cli.add_option("--public-url", cfg.public_url,
                   "URL phones use to reach this server (QR codes, join links), "
                   "e.g. http://192.168.1.20:8080; default: derived from --bind")
        ->envname("RUCHE_PUBLIC_URL");
    cli.add_option("--tls-cert", cfg.tls_cert,
                   "HTTPS certificate (PEM, with its chain) on the same port; plain HTTP is then "
                   "sent to https://; read again on SIGHUP")
        ->envname("RUCHE_TLS_CERT");
    cli.add_option("--tls-key", cfg.tls_key, "the certificate's private key (PEM)")
        ->envname("RUCHE_TLS_KEY");
    cli.add_option("--static-dir", cfg.static_dir, "the web client's files")
        ->envname("RUCHE_STATIC_DIR")
        ->capture_default_str();
    cli.add_option("--durability", durability,
                   "wal: acknowledged once in the write-ahead log (survives a crash); "
                   "fsync: once on disk (survives a power loss)")
        ->check(CLI::IsMember({"wal", "fsync"}))
        ->envname("RUCHE_DURABILITY")
        ->capture_default_str();
    cli.add_option("--allowed-origin", cfg.allowed_origins,
                   "extra browser origins allowed to open the WebSocket (repeatable)")
        ->envname("RUCHE_ALLOWED_ORIGINS")
        ->delimiter(',');
    cli.add_option("--threads", cfg.threads, "I/O threads (0: one per core)")
        ->envname("RUCHE_THREADS")
        ->capture_default_str();
    cli.add_option("--checkpoint-every", cfg.checkpoint_every, "ops between state checkpoints")
        ->envname("RUCHE_CHECKPOINT_EVERY")
        ->capture_default_str();
    cli.add_option("--max-connections", cfg.limits.max_connections, "open connections at most")
        ->envname("RUCHE_MAX_CONNECTIONS")
        ->capture_default_str();
    cli.add_option("--connections-per-address", cfg.limits.connections_per_address,
                   "connections one address (IPv4, or IPv6 /64) may hold")
        ->envname("RUCHE_CONNECTIONS_PER_ADDRESS")
        ->capture_default_str();
    cli.add_option("--unjoined-per-address", cfg.limits.unjoined_per_address,
                   "of which not yet in a session (HTTP, WebSocket before its hello)")
        ->envname("RUCHE_UNJOINED_PER_ADDRESS")
        ->capture_default_str();
    cli.add_option("--reserved-for-joined", cfg.limits.reserved_for_joined,
                   "connection places only people who joined a session may take")
        ->envname("RUCHE_RESERVED_FOR_JOINED")
        ->capture_default_str();
    cli.add_option("--trust-proxy", cfg.trusted_proxies,
                   "address of a reverse proxy whose X-Forwarded-For gives the client's address "
                   "(for limits only; repeatable)")
        ->envname("RUCHE_TRUST_PROXY")
        ->delimiter(',');
    cli.add_option("--send-queue-bytes", cfg.limits.send_queue_bytes,
                   "bytes waiting for a slow client before it is disconnected")
        ->envname("RUCHE_SEND_QUEUE_BYTES")
        ->capture_default_str();
    cli.add_option("--ops-per-second", cfg.limits.ops_per_second,
                   "messages per second per connection")
        ->envname("RUCHE_OPS_PER_SECOND")
        ->capture_default_str();
    cli.add_option("--joins-per-minute", cfg.limits.joins_per_minute,
                   "new participants one session takes per minute (a burst of as many)")
        ->envname("RUCHE_JOINS_PER_MINUTE")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cli.add_option("--participants-per-session", cfg.limits.participants_per_session,
                   "participants one session may have in all")
        ->envname("RUCHE_PARTICIPANTS_PER_SESSION")
        ->check(CLI::PositiveNumber)
        ->capture_default_str();
    cli.add_option("--sessions-per-hour", cfg.limits.sessions_per_hour,
                   "sessions one address may create (or import) per hour")
        ->envname("RUCHE_SESSIONS_PER_HOUR")
        ->capture_default_str();
    cli.add_option("--time-zone", cfg.time_zone,
                   "IANA time zone given to new sessions, for the times in their minutes")
        ->envname("RUCHE_TIME_ZONE")
        ->check([](const std::string& name) {
            return server::is_known_time_zone(name)
                       ? std::string()
                       : "unknown time zone " + name + " (e.g. Europe/Paris, America/Cayenne)";
        })
        ->capture_default_str();
    cli.add_option("--anonymity-threshold", cfg.anonymity_threshold,
                   "in anonymous sessions, exports name no profile fewer people than this had")
        ->envname("RUCHE_ANONYMITY_THRESHOLD")
        ->check(CLI::Range(1, 1000))
        ->capture_default_str();
    cli.add_option("--retention-days", cfg.retention_days,
                   "sessions are erased this many days after their last activity (a facilitator "
                   "may choose fewer); 0: kept until deleted")
        ->envname("RUCHE_RETENTION_DAYS")
        ->check(CLI::Range(0u, protocol::max_retention_days))
        ->capture_default_str();
    cli.add_flag("--access-log", cfg.access_log,
                 "one line per HTTP request in the log, the client pseudonymised (a digest with a key "
                 "drawn at start), join codes masked; off by default")
        ->envname("RUCHE_ACCESS_LOG");
    cli.add_option("--log-level", log_level, "trace, debug, info, warn, error")
        ->envname("RUCHE_LOG_LEVEL")
        ->capture_default_str();

    std::string backup_dir;
    std::uint32_t keep = 0;
    auto* backup = cli.add_subcommand("backup", "back up the op log into DIR (the running server does it, if any)");
    backup->add_option("directory", backup_dir, "where backups go; each one adds only what changed")->required();
    backup->add_option("--keep", keep, "keep only the newest N backups (0: all)")->capture_default_str();
    backup->fallthrough();
    auto* restore = cli.add_subcommand("restore", "restore the newest backup of DIR into --data-dir (server stopped)");
    restore->add_option("directory", backup_dir, "the backups' directory")->required();
    restore->fallthrough();
    auto* check = cli.add_subcommand("check-config", "check the options (and --config file) without starting");
    check->fallthrough();
    CLI11_PARSE(cli, argc, argv);

    spdlog::set_default_logger(spdlog::stderr_color_mt("ruche"));
    spdlog::set_level(spdlog::level::from_str(log_level));
    if (*backup) return server::backup_command(cfg.data_dir, backup_dir, keep);
    if (*restore) return server::restore_command(cfg.data_dir, backup_dir);
    cfg.durability = durability == "fsync" ? storage::durability::fsync : storage::durability::wal;
    if (*check) return server::check_config_command(cfg);
    cfg.control_socket = server::control_socket_path(cfg.data_dir);

    // libvips (photos) starts once, before any thread of the server.
    if (!server::photo_codec_init()) {
        spdlog::critical("cannot start libvips: photos could not be re-encoded");
        return 1;
    }
    try {
        std::filesystem::create_directories(cfg.data_dir);
        std::unique_ptr<storage::op_log> log;
        storage::options opts;
        opts.mode = cfg.durability;
        opts.log = [](storage::log_severity severity, std::string_view line) {
            if (severity == storage::log_severity::error) {
                spdlog::error("rocksdb: {}", line);
            } else {
                spdlog::warn("rocksdb: {}", line);
            }
        };
        if (auto ec = storage::open_rocksdb_op_log(cfg.data_dir, opts, log)) {
            spdlog::critical("cannot open the op log in {}: {}", cfg.data_dir, ec.message());
            return 1;
        }
        server::server srv(cfg, *log);
        if (auto ec = srv.start()) {
            // A certificate that cannot be used has said why just above.
            spdlog::critical("cannot start on {}:{}: {}", cfg.bind, cfg.port, ec.message());
            return 1;
        }
        spdlog::info("op log in {} ({} mode)", cfg.data_dir, durability);
        std::printf("Ruche est prêt / Ruche is ready: %s/\n", srv.public_url().c_str());
        std::fflush(stdout);
        srv.run(cfg.threads, true);
        spdlog::info("stopped");
    } catch (const std::exception& e) {
        spdlog::critical("{}", e.what());
        return 1;
    }
    return 0;
}
