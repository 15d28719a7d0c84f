#include "security/tls_credentials.h"

#include <grpcpp/security/tls_certificate_provider.h>
#include <grpcpp/security/tls_credentials_options.h>

#include <algorithm>

namespace pact::security {
namespace {

unsigned refresh_seconds(const config::TlsSettings& tls) {
  return static_cast<unsigned>(std::max<long>(1, std::chrono::duration_cast<std::chrono::seconds>(tls.refresh_interval).count()));
}

}  // namespace

std::shared_ptr<grpc::ServerCredentials> server_credentials(const config::TlsSettings& tls) {
  auto files = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(
      tls.private_key_file, tls.certificate_file, tls.ca_file, refresh_seconds(tls));
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
        tls.private_key_file, tls.certificate_file, tls.ca_file, refresh_seconds(tls));
  } else {
    files = std::make_shared<grpc::experimental::FileWatcherCertificateProvider>(tls.ca_file, refresh_seconds(tls));
  }
  grpc::experimental::TlsChannelCredentialsOptions options;
  options.set_certificate_provider(files);
  options.watch_root_certs();
  if (present_certificate) options.watch_identity_key_cert_pairs();
  options.set_verify_server_certs(true);
  return grpc::experimental::TlsCredentials(options);
}

}  // namespace pact::security
