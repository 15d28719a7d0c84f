// Two hubs in production security mode, each with its own CA, handing a case across the border:
// each trusts the other's CA only for the other's routing (policy entry pinned with `peer_ca`), and the
// handoff, the receiving hub's registration and its referral all happen over mutual TLS.
#include <fstream>
#include <regex>
#include <sstream>

#include <gtest/gtest.h>

#include "pact/routing/v1/handoff.grpc.pb.h"
#include "secure_hub.h"
#include "test_hub.h"

namespace pact::security::testing {
namespace {

using pact::testing::eventually;
using routing::TestHub;
using namespace std::chrono_literals;

// The second hub's PKI: another CA, its services named pact-<service>.mk.
const fs::path& macedonian_pki() {
  static const fs::path pki = [] {
    fs::path dir = fs::path(::testing::TempDir()) / ("pact-pki-mk-" + std::to_string(::getpid()));
    const std::string command = "PACT_PKI_NAME_SUFFIX=.mk bash " + std::string(PACT_SOURCE_DIR) +
                                "/deploy/security/make-local-pki.sh " + dir.string() + " >/dev/null";
    if (std::system(command.c_str()) != 0) ADD_FAILURE() << "make-local-pki.sh failed";
    return dir;
  }();
  return pki;
}

std::string shipped_policy() {
  std::ifstream in(std::string(PACT_SOURCE_DIR) + "/deploy/security/access-policy.yaml");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The shipped policy with this hub's services under `suffix`ed names and the peer's routing added.
std::string peer_entry(const std::string& certificate, const std::string& hub, const std::string& jurisdiction,
                       const fs::path& ca) {
  return "  " + certificate + ": {subject: \"hub:" + hub + "\", organisation: " + hub + ", roles: [hub], jurisdictions: [" +
         jurisdiction + "], peer_ca: \"" + ca_fingerprint(ca) + "\"}\n";
}

fs::path policy_for(const std::string& name, const std::string& suffix, const std::string& peer_entries) {
  std::string yaml = std::regex_replace(shipped_policy(), std::regex("\n  pact-([a-z]+): \\{"), "\n  pact-$1" + suffix + ": {");
  const std::string services = "services:\n";
  yaml.insert(yaml.find(services) + services.size(), peer_entries);
  const fs::path file = fs::path(::testing::TempDir()) / ("policy-" + name + ".yaml");
  std::ofstream(file) << yaml;
  return file;
}

std::string write_bundle(const std::string& name, const std::vector<fs::path>& certificates) {
  const fs::path file = fs::path(::testing::TempDir()) / (name + "-" + std::to_string(::getpid()) + ".pem");
  std::ofstream out(file);
  for (const auto& certificate : certificates) out << std::ifstream(certificate).rdbuf() << "\n";
  return file.string();
}

TEST(PeerHubs, ACaseIsHandedToTheNextHubOverMutualTlsBetweenTwoCas) {
  PACT_REQUIRE_INFRASTRUCTURE();
  TestHub serbia("peer-rs", "RS");
  TestHub macedonia("peer-mk", "MK");
  secure(serbia.platform, local_pki());
  // Albania is a peer too, with its own CA (the local PKI's "other" CA): the Macedonian CA cannot
  // speak for it, and it cannot see the handoffs between Serbia and North Macedonia.
  const fs::path albanian_ca = local_pki() / "other-ca.crt";
  serbia.platform.security.tls.peer_ca_file = write_bundle("serbia-peers", {macedonian_pki() / "ca.crt", albanian_ca});
  serbia.platform.security.policy_file =
      policy_for(serbia.platform.hub.prefix(), "",
                 peer_entry("pact-routing.mk", macedonia.platform.hub.prefix(), "MK", macedonian_pki() / "ca.crt") +
                     peer_entry("pact-routing.al", "al-hub", "AL", albanian_ca) +
                     peer_entry("pact-screening.mk", "al-hub", "AL", albanian_ca))
          .string();
  secure(macedonia.platform, macedonian_pki());
  macedonia.platform.security.tls.peer_ca_file = (local_pki() / "ca.crt").string();
  macedonia.platform.security.policy_file =
      policy_for(macedonia.platform.hub.prefix(), ".mk",
                 peer_entry("pact-routing", serbia.platform.hub.prefix(), "RS", local_pki() / "ca.crt"))
          .string();
  serbia.start("    " + macedonia.platform.hub.prefix() + ": \"MK @ " + macedonia.routing_address + "\"\n");
  macedonia.start("    " + serbia.platform.hub.prefix() + ": \"RS @ " + serbia.routing_address + "\"\n");

  intake::v1::RegisterEncounterResponse registration;
  const rpc::Caller officer = person("officer-17", "crc-nis", {"frontline"}, {"RS"});
  grpc::Status status = serbia.intake->stub().RegisterEncounter(
      as_person(officer).get(), routing::moving_on("peer-1", common::v1::JURISDICTION_MK), &registration);
  ASSERT_TRUE(status.ok()) << status.error_message();

  std::string mk_case;
  std::string handoff_id;
  ASSERT_TRUE(eventually([&] {
    for (const auto& record : routing::every_referral_event(serbia.platform)) {
      if (record.event.has_handoff_accepted() &&
          record.event.handoff_accepted().handoff().sending_case_id() == registration.case_id()) {
        mk_case = record.event.handoff_accepted().handoff().receiving_case_id();
        handoff_id = record.event.handoff_accepted().handoff().handoff_id();
      }
    }
    return !mk_case.empty();
  }, 90s)) << serbia.routing->log() << macedonia.routing->log();
  ASSERT_TRUE(eventually([&] {
    for (const auto& record : routing::every_referral_event(macedonia.platform)) {
      if (record.event.has_referral_requested() && record.event.case_id() == mk_case) return true;
    }
    return false;
  }, 60s)) << macedonia.routing->log();
  // The Macedonian hub may look the handoff up; Albania may not; and neither peer's CA can speak
  // for the other.
  auto get_handoff_as = [&](const fs::path& pki, const std::string& certificate) {
    config::TlsSettings tls;
    tls.certificate_file = (pki / (certificate + ".crt")).string();
    tls.private_key_file = (pki / (certificate + ".key")).string();
    tls.ca_file = (local_pki() / "ca.crt").string();
    auto stub = routing::v1::HandoffService::NewStub(
        grpc::CreateChannel(serbia.routing_address, channel_credentials(tls, /*present_certificate=*/true)));
    routing::v1::GetHandoffRequest request;
    request.set_handoff_id(handoff_id);
    routing::v1::GetHandoffResponse response;
    return stub->GetHandoff(with_token("").get(), request, &response);
  };
  grpc::Status party = get_handoff_as(macedonian_pki(), "routing");
  EXPECT_TRUE(party.ok()) << party.error_message();
  EXPECT_EQ(get_handoff_as(local_pki(), "peer-al").error_code(), grpc::StatusCode::PERMISSION_DENIED)
      << "Albania is a peer, but not of this handoff";
  EXPECT_EQ(get_handoff_as(local_pki(), "peer-routing").error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << "Albania's CA naming Macedonia's routing";
  EXPECT_EQ(get_handoff_as(macedonian_pki(), "screening").error_code(), grpc::StatusCode::UNAUTHENTICATED)
      << "Macedonia's CA naming an entry pinned to Albania's";

  // Neither side refused the other: no authentication failure was logged on the way.
  for (const std::string& log : {serbia.routing->log(), macedonia.routing->log(), macedonia.intake->log()}) {
    EXPECT_EQ(log.find("UNAUTHENTICATED"), std::string::npos);
  }
}

}  // namespace
}  // namespace pact::security::testing
