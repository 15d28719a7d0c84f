#include <gtest/gtest.h>

#include "security/access_policy.h"
#include "security/caller_rate_limiter.h"

namespace pact::security {
namespace {

rpc::Caller person(std::vector<std::string> roles) {
  rpc::Caller caller;
  caller.subject = "u-1";
  caller.organisation = "csr";
  caller.roles = std::move(roles);
  return caller;
}

constexpr const char* kPolicy = R"(
services:
  pact-screening: {subject: service:screening, organisation: pact-hub, roles: [screening]}
methods:
  pact.intake.v1.IntakeService/GetCase: [case_worker, coordinator]
  pact.intake.v1.IntakeService/ReleaseCaseKey: [screening, routing]
  pact.intake.v1.IntakeService/EraseCase: []
)";

TEST(AccessPolicy, AllowsOnlyTheListedRolesAndDeniesUnknownMethods) {
  AccessPolicy policy = AccessPolicy::from_yaml(kPolicy, "test");
  EXPECT_TRUE(policy.allows("pact.intake.v1.IntakeService/GetCase", person({"case_worker"})));
  EXPECT_FALSE(policy.allows("pact.intake.v1.IntakeService/GetCase", person({"provider"})));
  EXPECT_FALSE(policy.allows("pact.intake.v1.IntakeService/GetCase", person({})));
  EXPECT_FALSE(policy.allows("pact.intake.v1.IntakeService/EraseCase", person({"case_worker"})));
  EXPECT_FALSE(policy.allows("pact.intake.v1.IntakeService/Unknown", person({"case_worker"})));
  // The method name is matched whole: a service name with the same method is another method.
  EXPECT_FALSE(policy.allows("pact.other.v1.IntakeService/GetCase", person({"case_worker"})));
}

TEST(AccessPolicy, MapsCertificateNamesToServiceIdentities) {
  AccessPolicy policy = AccessPolicy::from_yaml(kPolicy, "test");
  auto screening = policy.service_for_certificate("pact-screening");
  ASSERT_TRUE(screening);
  EXPECT_EQ(screening->kind, rpc::CallerKind::service);
  EXPECT_EQ(screening->subject, "service:screening");
  EXPECT_TRUE(policy.allows("pact.intake.v1.IntakeService/ReleaseCaseKey", *screening));
  EXPECT_FALSE(policy.service_for_certificate("pact-unknown"));
}

TEST(AccessPolicy, APeerEntryIsProvedOnlyByTheCaItIsPinnedTo) {
  const std::string mk_ca(64, 'a');
  const std::string al_ca(64, 'b');
  AccessPolicy policy = AccessPolicy::from_yaml(R"(
services:
  pact-routing: {subject: service:routing, organisation: pact-hub, roles: [routing]}
  pact-routing.mk: {subject: "hub:mk", organisation: mk, roles: [hub], peer_ca: ")" +
                                                    std::string(32, 'A') + ":" + std::string(32, 'a') + R"("}
  pact-routing.al: {subject: "hub:al", organisation: al, roles: [hub], peer_ca: ")" + al_ca + R"("}
methods:
  pact.routing.v1.HandoffService/OfferHandoff: [hub]
)",
                                                "test");
  EXPECT_TRUE(policy.service_for_certificate("pact-routing.mk", mk_ca)) << "fingerprints compare without case or colons";
  EXPECT_FALSE(policy.service_for_certificate("pact-routing.mk", al_ca)) << "one peer's CA speaking for another";
  EXPECT_FALSE(policy.service_for_certificate("pact-routing.mk")) << "pinned to a peer: not this hub's CA";
  EXPECT_FALSE(policy.service_for_certificate("pact-routing", mk_ca)) << "a peer naming this hub's service";
  EXPECT_TRUE(policy.service_for_certificate("pact-routing"));
  EXPECT_THROW(AccessPolicy::from_yaml(R"(
services:
  pact-routing.mk: {organisation: mk, roles: [hub], peer_ca: "not a fingerprint"}
methods: {}
)",
                                       "test"),
               std::runtime_error);
}

TEST(AccessPolicy, ReportsEveryMethodOfAServiceItDoesNotList) {
  AccessPolicy policy = AccessPolicy::from_yaml(kPolicy, "test");
  auto unlisted = policy.unlisted_methods({"pact.intake.v1.IntakeService"});
  EXPECT_NE(std::find(unlisted.begin(), unlisted.end(), "pact.intake.v1.IntakeService/RegisterEncounter"),
            unlisted.end());
  EXPECT_EQ(std::find(unlisted.begin(), unlisted.end(), "pact.intake.v1.IntakeService/GetCase"), unlisted.end());
}

TEST(AccessPolicy, ABadFileNamesEachProblem) {
  try {
    AccessPolicy::from_yaml(R"(
services:
  pact-x: {roles: [x], colour: blue}
methods:
  GetCase: [case_worker]
  pact.a.v1.S/M: case_worker
extra: 1
)",
                            "policy.yaml");
    FAIL() << "accepted";
  } catch (const std::runtime_error& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("services.pact-x.colour: unknown key"), std::string::npos) << message;
    EXPECT_NE(message.find("services.pact-x.organisation: is required"), std::string::npos) << message;
    EXPECT_NE(message.find("methods.GetCase: must be package.Service/Method"), std::string::npos) << message;
    EXPECT_NE(message.find("methods.pact.a.v1.S/M: must be a list"), std::string::npos) << message;
    EXPECT_NE(message.find("extra: unknown section"), std::string::npos) << message;
  }
}

TEST(CallerRateLimiter, GivesEachCallerTheirOwnBurstThenTheRate) {
  CallerRateLimiter limiter(10, 5);
  const auto start = CallerRateLimiter::Clock::now();
  std::chrono::milliseconds retry{0};
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.try_acquire("busy", start, retry));
  EXPECT_FALSE(limiter.try_acquire("busy", start, retry));
  EXPECT_EQ(retry, std::chrono::milliseconds(100));
  // Someone else is not slowed down by the busy caller.
  EXPECT_TRUE(limiter.try_acquire("quiet", start, retry));
  // A tenth of a second later the busy caller has one more call.
  EXPECT_TRUE(limiter.try_acquire("busy", start + std::chrono::milliseconds(100), retry));
  EXPECT_FALSE(limiter.try_acquire("busy", start + std::chrono::milliseconds(100), retry));
}

TEST(CallerRateLimiter, ZeroRateMeansNoLimit) {
  CallerRateLimiter limiter(0, 1);
  std::chrono::milliseconds retry{0};
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.try_acquire("x", CallerRateLimiter::Clock::now(), retry));
}

}  // namespace
}  // namespace pact::security
