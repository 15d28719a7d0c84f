// Transport security and authentication against a real pact-intake in production mode: TLS on the
// API port, mutual TLS for services, signed tokens for people, the shipped access policy, rate
// limits per person, and certificates rotated without a restart.

#include <fstream>
#include <sstream>

#include <grpcpp/generic/async_generic_service.h>
#include <gtest/gtest.h>

#include "intake_fixture.h"
#include "rpc/health_probe.h"
#include "rpc/status.h"
#include "secure_hub.h"
#include "security/certificate_authorities.h"

namespace pact::security::testing {
namespace {

using intake::testing::IntakeProcess;
using intake::testing::sample_registration;
using pact::testing::Infrastructure;
namespace intake_v1 = pact::intake::v1;

class SecureIntake : public ::testing::Test {
 protected:
  void SetUp() override {
    PACT_REQUIRE_INFRASTRUCTURE();
    platform_ = Infrastructure::instance().new_hub("secure");
    secure(platform_);
  }

  void start() {
    intake_ = std::make_unique<IntakeProcess>(platform_);
    stub_ = intake_v1::IntakeService::NewStub(channel());
  }
  std::shared_ptr<grpc::Channel> channel() const {
    return ClientIdentity::for_person(platform_.security.tls.ca_file, "").channel(intake_->address());
  }

  grpc::Status get_case(grpc::ClientContext* context, const std::string& case_id) {
    intake_v1::GetCaseRequest request;
    request.set_case_id(case_id);
    request.set_purpose(common::v1::ACCESS_PURPOSE_CASE_MANAGEMENT);
    intake_v1::GetCaseResponse response;
    return stub_->GetCase(context, request, &response);
  }

  std::string register_case(const std::string& key) {
    intake_v1::RegisterEncounterResponse response;
    const rpc::Caller officer = person("officer-17", "police-presevo", {"frontline"}, {"RS"});
    grpc::Status status = stub_->RegisterEncounter(as_person(officer).get(), sample_registration(key), &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response.case_id();
  }

  config::PlatformConfig platform_;
  std::unique_ptr<IntakeProcess> intake_;
  std::unique_ptr<intake_v1::IntakeService::Stub> stub_;
};

TEST_F(SecureIntake, ACallWithNeitherTokenNorCertificateIsUnauthenticated) {
  start();
  grpc::Status status = get_case(with_token("").get(), "rs-anything");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED) << status.error_message();
  status = get_case(with_token("not-a-jwt").get(), "rs-anything");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
}

TEST_F(SecureIntake, PlaintextReachesOnlyTheHealthPort) {
  start();
  auto plaintext = intake_v1::IntakeService::NewStub(grpc::CreateChannel(intake_->address(), grpc::InsecureChannelCredentials()));
  intake_v1::GetCaseRequest request;
  intake_v1::GetCaseResponse response;
  grpc::Status status = plaintext->GetCase(with_token(token_for(person("cw", "csr", {"case_worker"}, {"RS"}))).get(),
                                           request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE);
  // Kubernetes' probes cannot speak TLS: health stays plaintext on its own port.
  EXPECT_EQ(rpc::check_health(intake_->health_address()).status,
            rpc::HealthStatus::serving);
}

TEST_F(SecureIntake, AClientTrustingAnotherCaDoesNotTalkToTheServer) {
  start();
  auto stub = intake_v1::IntakeService::NewStub(
      ClientIdentity::for_person((local_pki() / "other-ca.crt").string(), "").channel(intake_->address()));
  intake_v1::GetCaseRequest request;
  intake_v1::GetCaseResponse response;
  grpc::Status status = stub->GetCase(as_person(person("cw", "csr", {"case_worker"}, {"RS"})).get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

TEST_F(SecureIntake, AServiceCertificateFromAnotherCaIsRefused) {
  start();
  // "stranger" is called pact-intake too, but another CA signed it.
  config::TlsSettings tls;
  tls.certificate_file = (local_pki() / "stranger.crt").string();
  tls.private_key_file = (local_pki() / "stranger.key").string();
  tls.ca_file = (local_pki() / "ca.crt").string();
  auto stub = intake_v1::IntakeService::NewStub(grpc::CreateChannel(intake_->address(), channel_credentials(tls, true)));
  intake_v1::ReleaseCaseKeyRequest request;
  request.set_case_id("rs-anything");
  intake_v1::ReleaseCaseKeyResponse response;
  grpc::Status status = stub->ReleaseCaseKey(with_token("").get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAVAILABLE) << status.error_message();
}

// With peer hubs, the handshake trusts their CA too; before the pinning, a peer that issued itself
// "pact-routing" was this hub's routing service and got case keys.
TEST_F(SecureIntake, APeerHubsCaProvesOnlyPeerIdentitiesNeverThisHubsServices) {
  const fs::path policy = fs::path(::testing::TempDir()) / ("peer-policy-" + platform_.hub.prefix() + ".yaml");
  {
    std::ifstream shipped(platform_.security.policy_file);
    std::stringstream text;
    text << shipped.rdbuf();
    std::string yaml = text.str();
    const std::string services = "services:\n";
    yaml.insert(yaml.find(services) + services.size(),
                "  pact-routing.mk: {subject: \"hub:mk\", organisation: mk, roles: [hub], jurisdictions: [MK], peer_ca: \"" +
                    ca_fingerprint(local_pki() / "other-ca.crt") + "\"}\n");
    std::ofstream(policy) << yaml;
  }
  platform_.security.policy_file = policy.string();
  platform_.security.tls.peer_ca_file = (local_pki() / "other-ca.crt").string();
  start();
  auto release_key_as = [&](const std::string& certificate) {
    config::TlsSettings tls;
    tls.certificate_file = (local_pki() / (certificate + ".crt")).string();
    tls.private_key_file = (local_pki() / (certificate + ".key")).string();
    tls.ca_file = (local_pki() / "ca.crt").string();
    auto stub = intake_v1::IntakeService::NewStub(grpc::CreateChannel(intake_->address(), channel_credentials(tls, true)));
    intake_v1::ReleaseCaseKeyRequest request;
    request.set_case_id("rs-no-such-case");
    request.set_purpose(common::v1::ACCESS_PURPOSE_REFERRAL_ROUTING);
    intake_v1::ReleaseCaseKeyResponse response;
    return stub->ReleaseCaseKey(with_token("").get(), request, &response);
  };
  grpc::Status impostor = release_key_as("peer-impostor");
  EXPECT_EQ(impostor.error_code(), grpc::StatusCode::UNAUTHENTICATED) << impostor.error_message();
  EXPECT_EQ(impostor.error_message(), "a peer hub's certificate proves only the policy entries pinned to its CA (peer_ca)");
  grpc::Status peer = release_key_as("peer-routing");
  EXPECT_EQ(peer.error_code(), grpc::StatusCode::PERMISSION_DENIED) << "the peer is known, as a hub: " << peer.error_message();
  grpc::Status own = release_key_as("routing");
  EXPECT_EQ(own.error_code(), grpc::StatusCode::NOT_FOUND) << "this hub's routing still gets keys: " << own.error_message();
}

// A server with a certificate from a peer hub's CA, named like this hub's intake: this hub's
// services must not take it for their intake (a peer in the middle would get case-key requests);
// routing's channels to peers accept it.
TEST(SecureChannels, OnlyChannelsToPeerHubsTrustPeerCas) {
  config::TlsSettings server_tls;
  server_tls.certificate_file = (local_pki() / "stranger.crt").string();  // CN pact-intake, other-ca
  server_tls.private_key_file = (local_pki() / "stranger.key").string();
  server_tls.ca_file = (local_pki() / "ca.crt").string();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", server_credentials(server_tls), &port);
  grpc::CallbackGenericService nothing_else;  // a server needs one service of its own
  builder.RegisterCallbackGenericService(&nothing_else);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(port, 0);
  const std::string address = "127.0.0.1:" + std::to_string(port);

  config::SecuritySettings security;
  security.mode = config::SecurityMode::production;
  security.tls.certificate_file = (local_pki() / "screening.crt").string();
  security.tls.private_key_file = (local_pki() / "screening.key").string();
  security.tls.ca_file = (local_pki() / "ca.crt").string();
  security.tls.peer_ca_file = (local_pki() / "other-ca.crt").string();
  const ClientIdentity screening = ClientIdentity::for_service(security);
  EXPECT_EQ(rpc::check_health(address, "", std::chrono::seconds(3), screening.credentials()).status,
            rpc::HealthStatus::unreachable)
      << "a channel within the hub trusted a peer's CA";
  EXPECT_EQ(rpc::check_health(address, "", std::chrono::seconds(3), screening.peer_credentials()).status,
            rpc::HealthStatus::serving);
  server->Shutdown();
}

// A peer's CA that this hub's CA signed (one regional root): the peer's certificates chain to both,
// and belong to the nearest, the peer's.
TEST(CertificateAuthorities, TheNearestCaInAChainIsTheIssuer) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("nearest-ca-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string pki = local_pki().string();
  const std::string d = dir.string();
  const std::string script =
      "set -e; cd " + d + "; "
      "openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj '/CN=peer CA' -keyout p.key -out p.csr 2>/dev/null; "
      "openssl x509 -req -in p.csr -CA " + pki + "/ca.crt -CAkey " + pki + "/ca.key -CAcreateserial -days 30 -out p.crt "
      "-extfile <(printf 'basicConstraints=critical,CA:true\\nkeyUsage=critical,keyCertSign\\n') 2>/dev/null; "
      "openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj '/CN=pact-routing.mk' -keyout l.key -out l.csr 2>/dev/null; "
      "openssl x509 -req -in l.csr -CA p.crt -CAkey p.key -CAcreateserial -days 30 -out l.crt 2>/dev/null";
  ASSERT_EQ(std::system(("bash -c \"" + script + "\"").c_str()), 0);
  auto read = [&](const std::string& name) {
    std::ifstream in(dir / name);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  };
  CertificateAuthorities hub(local_pki() / "ca.crt", std::chrono::seconds(60));
  CertificateAuthorities peers(dir / "p.crt", std::chrono::seconds(60));
  const auto via_hub = hub.issuer_of(read("l.crt"), read("p.crt"));
  const auto via_peer = peers.issuer_of(read("l.crt"), read("p.crt"));
  ASSERT_TRUE(via_hub) << "the chain reaches this hub's CA too";
  ASSERT_TRUE(via_peer);
  EXPECT_LT(via_peer->distance, via_hub->distance);
  EXPECT_EQ(via_peer->fingerprint, normalized_fingerprint(ca_fingerprint(dir / "p.crt")));
}

TEST_F(SecureIntake, ExpiredForgedAndOtherIssuersTokensAreUnauthenticated) {
  start();
  const rpc::Caller worker = person("cw-1", "csr-belgrade", {"case_worker"}, {"RS"});
  const auto two_hours_ago = std::chrono::system_clock::now() - std::chrono::hours(2);
  grpc::Status expired = get_case(with_token(token_for(worker, std::chrono::seconds(3600), two_hours_ago)).get(), "rs-x");
  EXPECT_EQ(expired.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(expired.error_message(), "token expired");

  // Someone else's key under the trusted key id.
  const fs::path forger = fs::path(::testing::TempDir()) / ("forger-" + platform_.hub.prefix());
  fs::create_directories(forger);
  ASSERT_EQ(std::system(("openssl genpkey -algorithm ed25519 -out " + (forger / "local-1.pem").string()).c_str()), 0);
  TokenRequest forged;
  forged.person = worker;
  forged.issuer = kIssuer;
  grpc::Status status = get_case(with_token(TokenSigner(forger / "local-1.pem").sign(forged)).get(), "rs-x");
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNAUTHENTICATED);
  EXPECT_EQ(status.error_message(), "token signature does not verify");

  TokenRequest elsewhere;
  elsewhere.person = worker;
  elsewhere.issuer = "someone-else";
  TokenSigner trusted_key(local_pki() / "token-signing" / "local-1.pem");
  EXPECT_EQ(get_case(with_token(trusted_key.sign(elsewhere)).get(), "rs-x").error_message(), "token from another issuer");
}

TEST_F(SecureIntake, AFrontlineWorkerRecordsEncountersAsTheSectorTheirTokenNames) {
  start();
  rpc::Caller social_worker = person("sw-1", "crc-nis", {"frontline"}, {"RS"});
  social_worker.sector = "social-welfare";  // as pactctl spells it
  rpc::Caller officer = person("po-1", "police-presevo", {"frontline"}, {"RS"});
  officer.sector = "SECTOR_POLICE";
  intake_v1::RegisterEncounterResponse response;
  // sample_registration's reporter is a social worker.
  grpc::Status own = stub_->RegisterEncounter(as_person(social_worker).get(), sample_registration("sector-1"), &response);
  EXPECT_TRUE(own.ok()) << own.error_message();
  grpc::Status other = stub_->RegisterEncounter(as_person(officer).get(), sample_registration("sector-2"), &response);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::PERMISSION_DENIED) << other.error_message();
}

TEST_F(SecureIntake, ATokenForAnotherJurisdictionCannotReadTheCase) {
  start();
  const std::string case_id = register_case("secure-jurisdiction-1");
  ASSERT_FALSE(case_id.empty());
  const rpc::Caller serbian = person("cw-rs", "csr-belgrade", {"case_worker"}, {"RS"});
  const rpc::Caller macedonian = person("cw-mk", "csr-skopje", {"case_worker"}, {"MK"});
  EXPECT_TRUE(get_case(as_person(serbian).get(), case_id).ok());
  grpc::Status status = get_case(as_person(macedonian).get(), case_id);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED) << status.error_message();
  // The denial is on record, without the case or the person.
  const std::string log = intake_->log();
  EXPECT_NE(log.find("the case belongs to a jurisdiction you do not work in"), std::string::npos);
  EXPECT_EQ(log.find("cw-mk"), std::string::npos);
}

TEST_F(SecureIntake, ARoleThePolicyDoesNotListIsDeniedAndTheDenialLogsNoIdentity) {
  start();
  const std::string case_id = register_case("secure-role-1");
  const rpc::Caller provider = person("provider-person-4711", "ngo-atina", {"provider"}, {"RS"});
  grpc::Status status = get_case(as_person(provider).get(), case_id);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_EQ(status.error_message(), "your role may not call pact.intake.v1.IntakeService/GetCase");
  const std::string log = intake_->log();
  EXPECT_NE(log.find("call denied"), std::string::npos);
  EXPECT_EQ(log.find("provider-person-4711"), std::string::npos) << "a denial logged the caller's subject";
  EXPECT_EQ(log.find(case_id), std::string::npos) << "a denial logged the case id";
}

TEST_F(SecureIntake, CaseKeysGoToServicesByCertificateNeverToPeople) {
  start();
  const std::string case_id = register_case("secure-key-1");
  intake_v1::ReleaseCaseKeyRequest request;
  request.set_case_id(case_id);
  request.set_purpose(common::v1::ACCESS_PURPOSE_SCREENING);
  intake_v1::ReleaseCaseKeyResponse response;

  auto as_screening = intake_v1::IntakeService::NewStub(service_channel(intake_->address(), "screening"));
  grpc::Status released = as_screening->ReleaseCaseKey(with_token("").get(), request, &response);
  EXPECT_TRUE(released.ok()) << released.error_message();
  EXPECT_GT(response.keys_size(), 0);

  // Notification has a valid certificate but no business with case keys.
  auto as_notification = intake_v1::IntakeService::NewStub(service_channel(intake_->address(), "notification"));
  EXPECT_EQ(as_notification->ReleaseCaseKey(with_token("").get(), request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
  // Nor has a person, whatever their role.
  const rpc::Caller coordinator = person("nc-1", "nrm-rs", {"coordinator", "case_worker"}, {"RS"});
  EXPECT_EQ(stub_->ReleaseCaseKey(as_person(coordinator).get(), request, &response).error_code(),
            grpc::StatusCode::PERMISSION_DENIED);
}

TEST_F(SecureIntake, OnePersonCallingTooFastIsSlowedDownAndOthersAreNot) {
  platform_.security.rate_limit.calls_per_second = 2;
  platform_.security.rate_limit.burst = 5;
  start();
  const std::string busy = token_for(person("script-1", "csr-belgrade", {"case_worker"}, {"RS"}));
  int refused = 0;
  grpc::Status last;
  for (int i = 0; i < 12; ++i) {
    last = get_case(with_token(busy).get(), "rs-unknown");
    if (last.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED) {
      ++refused;
      EXPECT_TRUE(rpc::retry_delay(last)) << "no RetryInfo";
    }
  }
  EXPECT_GE(refused, 5);
  const std::string calm = token_for(person("cw-2", "csr-belgrade", {"case_worker"}, {"RS"}));
  EXPECT_NE(get_case(with_token(calm).get(), "rs-unknown").error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
}

TEST_F(SecureIntake, ARotatedCertificateIsServedWithoutARestart) {
  // The hub's own copy of its certificate files, and a second PKI whose CA clients also trust.
  const fs::path own = fs::path(::testing::TempDir()) / ("rotating-" + platform_.hub.prefix());
  const fs::path next = fs::path(::testing::TempDir()) / ("next-pki-" + platform_.hub.prefix());
  fs::create_directories(own);
  ASSERT_EQ(std::system(("bash " + std::string(PACT_SOURCE_DIR) + "/deploy/security/make-local-pki.sh " +
                         next.string() + " >/dev/null").c_str()),
            0);
  fs::copy_file(local_pki() / "intake.crt", own / "intake.crt", fs::copy_options::overwrite_existing);
  fs::copy_file(local_pki() / "intake.key", own / "intake.key", fs::copy_options::overwrite_existing);
  {
    std::ofstream bundle(own / "ca.crt");
    bundle << std::ifstream(local_pki() / "ca.crt").rdbuf() << std::ifstream(next / "ca.crt").rdbuf();
  }
  platform_.security.tls.certificate_file = (own / "{service}.crt").string();
  platform_.security.tls.private_key_file = (own / "{service}.key").string();
  platform_.security.tls.ca_file = (own / "ca.crt").string();
  start();

  auto trusting_next_only = [&] {
    return intake_v1::IntakeService::NewStub(
        ClientIdentity::for_person((next / "ca.crt").string(), "").channel(intake_->address()));
  };
  const rpc::Caller worker = person("cw-1", "csr-belgrade", {"case_worker"}, {"RS"});
  intake_v1::GetCaseRequest request;
  intake_v1::GetCaseResponse response;
  EXPECT_EQ(trusting_next_only()->GetCase(as_person(worker).get(), request, &response).error_code(),
            grpc::StatusCode::UNAVAILABLE);

  // Rotate: write the new key and certificate the way a Secret update lands (replace, not edit).
  fs::copy_file(next / "intake.key", own / "intake.key.new");
  fs::copy_file(next / "intake.crt", own / "intake.crt.new");
  fs::rename(own / "intake.key.new", own / "intake.key");
  fs::rename(own / "intake.crt.new", own / "intake.crt");
  EXPECT_TRUE(pact::testing::eventually(
      [&] {
        return trusting_next_only()->GetCase(as_person(worker).get(), request, &response).error_code() !=
               grpc::StatusCode::UNAVAILABLE;
      },
      std::chrono::seconds(15)))
      << "the rotated certificate was not served";
}

}  // namespace
}  // namespace pact::security::testing
