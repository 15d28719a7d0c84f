#include "security/tls_credentials.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>

#include <unistd.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <stop_token>
#include <thread>

namespace pact::security {
namespace {

unsigned refresh_seconds(const config::TlsSettings& tls) {
  return static_cast<unsigned>(std::max<long>(1, std::chrono::duration_cast<std::chrono::seconds>(tls.refresh_interval).count()));
}

std::string read_pem(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + file);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

// One file holding ca_file and peer_ca_file together, for gRPC's file watcher (it takes one root
// file), rewritten whole (a new file renamed over it) when either source changes.
class CombinedRoots {
 public:
  CombinedRoots(const config::TlsSettings& tls, std::filesystem::path file)
      : ca_file_(tls.ca_file), peer_ca_file_(tls.peer_ca_file), file_(std::move(file)) {
    if (!refresh()) throw std::runtime_error("cannot combine " + ca_file_ + " and " + peer_ca_file_);
    thread_ = std::jthread([this, interval = tls.refresh_interval](std::stop_token stop) {
      std::mutex mutex;
      std::condition_variable_any wake;
      std::unique_lock lock(mutex);
      // Returns true when a stop was requested, false when the interval passed.
      while (!wake.wait_for(lock, stop, interval, [&stop] { return stop.stop_requested(); })) refresh();
    });
  }
  const std::filesystem::path& file() const { return file_; }

 private:
  bool refresh() {
    try {
      const std::string content = read_pem(ca_file_) + "\n" + read_pem(peer_ca_file_) + "\n";
      if (content == written_) return true;
      const std::filesystem::path next = file_.string() + ".next";
      {
        std::ofstream out(next, std::ios::binary | std::ios::trunc);
        out << content;
        if (!out.flush()) return false;
      }
      std::filesystem::rename(next, file_);
      written_ = content;
      return true;
    } catch (const std::exception&) {
      return false;  // a source caught half-rotated: the roots written last stay until it reads whole
    }
  }

  std::string ca_file_;
  std::string peer_ca_file_;
  std::filesystem::path file_;
  std::string written_;
  std::jthread thread_;
};

}  // namespace

std::string trusted_roots_file(const config::TlsSettings& tls) {
  if (tls.peer_ca_file.empty()) return tls.ca_file;
  static std::mutex mutex;
  // Never destroyed: gRPC's file watchers read the files until the process ends, whatever order
  // statics are destroyed in.
  static auto& combined = *new std::map<std::pair<std::string, std::string>, std::unique_ptr<CombinedRoots>>();
  std::lock_guard lock(mutex);
  auto& roots = combined[{tls.ca_file, tls.peer_ca_file}];
  if (!roots) {
    roots = std::make_unique<CombinedRoots>(
        tls, std::filesystem::temp_directory_path() / ("pact-trusted-roots-" + std::to_string(::getpid()) + "-" +
                                                       std::to_string(combined.size()) + ".pem"));
  }
  return roots->file().string();
}

std::shared_ptr<grpc::ServerCredentials> server_credentials(const config::TlsSettings& tls) {
  auto files = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      tls.private_key_file, tls.certificate_file, trusted_roots_file(tls), refresh_seconds(tls));
  grpc::experimental::TlsServerCredentialsOptions options(files);
  options.watch_root_certs();
  options.watch_identity_key_cert_pairs();
  options.set_cert_request_type(GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY);
  return grpc::experimental::TlsServerCredentials(options);
}

std::shared_ptr<grpc::ChannelCredentials> channel_credentials(const config::TlsSettings& tls,
                                                              bool present_certificate, bool with_peer_cas) {
  const std::string roots = with_peer_cas ? trusted_roots_file(tls) : tls.ca_file;
  std::shared_ptr<grpc::experimental::FileWatcherCertificateProvider> files;
  if (present_certificate) {
    files = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
        tls.private_key_file, tls.certificate_file, roots, refresh_seconds(tls));
  } else {
    files = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(roots, refresh_seconds(tls));
  }
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(files);
  options.watch_root_certs();
  if (present_certificate) options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  return grpc::experimental::TlsCredentials(options);
}

}  // namespace pact::security
