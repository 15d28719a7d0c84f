#include "security/tls_credentials.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <stdexcept>

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

}  // namespace

std::string trusted_roots_file(const config::TlsSettings& tls) {
  if (tls.peer_ca_file.empty()) return tls.ca_file;
  static std::mutex mutex;
  static std::map<std::pair<std::string, std::string>, std::string> written;
  std::lock_guard lock(mutex);
  auto& file = written[{tls.ca_file, tls.peer_ca_file}];
  if (file.empty()) {
    const auto path = std::filesystem::temp_directory_path() /
                      ("pact-trusted-roots-" + std::to_string(::getpid()) + "-" + std::to_string(written.size()) + ".pem");
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << read_pem(tls.ca_file) << "\n" << read_pem(tls.peer_ca_file) << "\n";
    if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
    file = path.string();
  }
  return file;
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
                                                              bool present_certificate) {
  std::shared_ptr<grpc::experimental::FileWatcherCertificateProvider> files;
  if (present_certificate) {
    files = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
        tls.private_key_file, tls.certificate_file, trusted_roots_file(tls), refresh_seconds(tls));
  } else {
    files = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(trusted_roots_file(tls),
                                                                                 refresh_seconds(tls));
  }
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(files);
  options.watch_root_certs();
  if (present_certificate) options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  return grpc::experimental::TlsCredentials(options);
}

}  // namespace pact::security
