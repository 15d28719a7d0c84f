#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <google/protobuf/util/time_util.h>

#include "decision_draft.h"
#include "directory_service.h"
#include "referral_data.h"
#include "routing_fixture.h"
#include "routing_service.h"
#include "sharing_gate.h"

namespace pact::routing {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::Contains;
using ::testing::Field;

rpc::Caller person(std::string organisation, std::vector<std::string> roles) {
  rpc::Caller caller;
  caller.subject = "user-1";
  caller.organisation = std::move(organisation);
  caller.roles = std::move(roles);
  return caller;
}

v1::RecordDecisionRequest identification_request() {
  v1::RecordDecisionRequest request;
  request.set_idempotency_key("k1");
  request.set_case_id("case-1");
  request.set_type(v1::DECISION_TYPE_FORMAL_IDENTIFICATION);
  request.set_outcome(v1::DECISION_OUTCOME_POSITIVE);
  request.mutable_decided_by()->set_display_name("Officer Example");
  request.set_reason("Interview on 30 November; indicators confirmed");
  return request;
}

TEST(DecisionDraft, APositiveIdentificationStartsAtLeastThirtyDaysOfReflection) {
  const auto draft = draft_decision(identification_request(), person("rs-cpvt", {"competent_authority"}), {}, {30, 30},
                                    testing::monday_morning());
  ASSERT_TRUE(draft.violations.empty());
  const auto& decision = draft.decision;
  EXPECT_EQ(TimeUtil::TimestampToSeconds(decision.reflection_period_end()) - TimeUtil::TimestampToSeconds(decision.reflection_period_start()),
            30 * 86400);
  EXPECT_EQ(decision.recorded_by_subject(), "user-1");
  EXPECT_FALSE(decision.decision_id().empty());
  // Same request, same id: a retry records nothing new.
  EXPECT_EQ(draft_decision(identification_request(), person("rs-cpvt", {}), {}, {30, 30}, testing::monday_morning()).decision.decision_id(),
            decision.decision_id());
}

TEST(DecisionDraft, APeriodAlreadyRunningIsNotStartedAgain) {
  const auto first = draft_decision(identification_request(), person("a", {}), {}, {30, 30}, testing::monday_morning());
  auto request = identification_request();
  request.set_idempotency_key("k2");
  const auto second = draft_decision(request, person("a", {}), {first.decision}, {30, 30}, testing::monday_morning());
  EXPECT_FALSE(second.decision.has_reflection_period_start());
}

TEST(DecisionDraft, OnlyNamedPeopleWithReasonsDecide) {
  auto request = identification_request();
  request.mutable_decided_by()->clear_display_name();
  request.clear_reason();
  request.set_reflection_period_days(10);
  const auto draft = draft_decision(request, person("a", {}), {}, {30, 30}, testing::monday_morning());
  EXPECT_THAT(draft.violations, Contains(Field(&rpc::FieldViolation::field, "decided_by.display_name")));
  EXPECT_THAT(draft.violations, Contains(Field(&rpc::FieldViolation::field, "reason")));
  EXPECT_THAT(draft.violations, Contains(Field(&rpc::FieldViolation::field, "reflection_period_days")));
}

TEST(DecisionDraft, AnExceptionNamesItsScopesDataAndLapses) {
  auto request = identification_request();
  request.set_type(v1::DECISION_TYPE_RISK_TO_LIFE_EXCEPTION);
  auto draft = draft_decision(request, person("a", {}), {}, {30, 30}, testing::monday_morning());
  EXPECT_THAT(draft.violations, Contains(Field(&rpc::FieldViolation::field, "exception_scopes")));
  request.add_exception_scopes(common::CONSENT_SCOPE_POLICE);
  request.add_exception_data(common::DATA_CATEGORY_IDENTITY);
  draft = draft_decision(request, person("a", {}), {}, {30, 7}, testing::monday_morning());
  ASSERT_TRUE(draft.violations.empty());
  EXPECT_EQ(TimeUtil::TimestampToSeconds(draft.decision.exception_valid_until()) - TimeUtil::TimestampToSeconds(draft.decision.recorded_at()),
            7 * 86400);
}

TEST(ReferralData, OnlyTheAllowedCategoriesLeave) {
  pact::intake::v1::Case case_record;
  auto* person_record = case_record.mutable_encounter()->mutable_person();
  person_record->set_given_name("Amira");
  person_record->add_identifiers()->set_value("P1234567");
  case_record.mutable_encounter()->add_observed_indicator_ids("ILO-AL-1");
  auto* shelter_need = case_record.mutable_encounter()->add_needs();
  shelter_need->set_type(common::NEED_TYPE_SHELTER);
  shelter_need->set_details("needs a ground-floor room");
  auto* legal_need = case_record.mutable_encounter()->add_needs();
  legal_need->set_type(common::NEED_TYPE_LEGAL_AID);
  legal_need->set_details("asylum claim pending");
  v1::Referral referral;
  referral.set_referral_id("case-1/shelter/1");
  referral.mutable_attempt_id()->set_need_type(common::NEED_TYPE_SHELTER);
  referral.mutable_sharing_basis()->set_kind(common::SHARING_BASIS_KIND_CONSENT);
  referral.add_shared_data(common::DATA_CATEGORY_IDENTITY);
  referral.add_shared_data(common::DATA_CATEGORY_NEED_DETAILS);
  const auto data = referral_data_of(case_record, referral);
  EXPECT_EQ(data.person().given_name(), "Amira");
  EXPECT_EQ(data.person().identifiers_size(), 0);
  EXPECT_EQ(data.observed_indicator_ids_size(), 0);
  ASSERT_EQ(data.needs_size(), 1);
  EXPECT_EQ(data.needs(0).type(), common::NEED_TYPE_SHELTER);
  referral.mutable_sharing_basis()->set_kind(common::SHARING_BASIS_KIND_NO_PERSONAL_DATA);
  EXPECT_FALSE(referral_data_of(case_record, referral).has_person());
}

TEST(Access, ProvidersSeeAndAnswerTheirOwnReferralsOnly) {
  v1::Referral referral;
  referral.set_organization_id("rs-shelter-org");
  pact::intake::v1::CaseSummary serbian;
  serbian.set_jurisdiction(common::JURISDICTION_RS);
  EXPECT_TRUE(may_answer(person("rs-shelter-org", {}), referral, serbian));
  EXPECT_FALSE(may_answer(person("other-org", {}), referral, serbian));
  EXPECT_FALSE(may_answer(person("", {}), referral, serbian));
  // A routing administrator answers for a provider of their own jurisdictions only.
  rpc::Caller admin = person("hub", {"routing_admin"});
  admin.jurisdictions = {"MK"};
  EXPECT_FALSE(may_answer(admin, referral, serbian));
  admin.jurisdictions = {"RS"};
  EXPECT_TRUE(may_answer(admin, referral, serbian));
  EXPECT_FALSE(sees_every_referral(person("other-org", {})));
  EXPECT_TRUE(sees_every_referral(person("csw", {"case_worker"})));
}

TEST(Access, CaseWorkersSeeTheCasesOfTheirJurisdictionsOnly) {
  pact::intake::v1::CaseSummary summary;
  summary.set_jurisdiction(common::JURISDICTION_RS);
  rpc::Caller worker = person("csw", {"case_worker"});
  EXPECT_FALSE(works_on(worker, summary));
  worker.jurisdictions = {"RS"};
  EXPECT_TRUE(works_on(worker, summary));
  worker.jurisdictions = {"AL"};
  EXPECT_FALSE(works_on(worker, summary));
}

TEST(Access, OnlyTheProviderReadsThePersonsDataNoRoleStandsInForIt) {
  v1::Referral referral;
  referral.set_organization_id("rs-shelter-org");
  EXPECT_TRUE(may_read_data(person("rs-shelter-org", {}), referral));
  EXPECT_FALSE(may_read_data(person("hub", {"routing_admin"}), referral));
  EXPECT_FALSE(may_read_data(person("csw", {"case_worker"}), referral));
}

TEST(SharingGate, ABasisIsCheckedAgainAtEveryRead) {
  CaseFacts facts;
  common::SharingBasis consent;
  consent.set_kind(common::SHARING_BASIS_KIND_CONSENT);
  consent.add_consent_scopes(common::CONSENT_SCOPE_SERVICES);
  EXPECT_FALSE(basis_in_force(consent, facts));  // withdrawn
  facts.consent.insert(common::CONSENT_SCOPE_SERVICES);
  EXPECT_TRUE(basis_in_force(consent, facts));
  common::SharingBasis exception;
  exception.set_kind(common::SHARING_BASIS_KIND_RECORDED_EXCEPTION);
  exception.set_decision_id("dec-1");
  EXPECT_FALSE(basis_in_force(exception, facts));  // lapsed
  facts.exceptions.push_back({"dec-1", v1::DECISION_TYPE_RISK_TO_LIFE_EXCEPTION, {common::CONSENT_SCOPE_POLICE}, {}});
  EXPECT_TRUE(basis_in_force(exception, facts));
  common::SharingBasis child_law;
  child_law.set_kind(common::SHARING_BASIS_KIND_CHILD_PROTECTION_LAW);
  EXPECT_FALSE(basis_in_force(child_law, facts));
  facts.flags.set_presumed_child(true);
  EXPECT_TRUE(basis_in_force(child_law, facts));
  common::SharingBasis nothing;
  nothing.set_kind(common::SHARING_BASIS_KIND_NO_PERSONAL_DATA);
  EXPECT_FALSE(basis_in_force(nothing, facts));
}

TEST(SharingGate, AChildProtectionExceptionStandsInForConsentOnlyForAPresumedChild) {
  CaseFacts facts;
  facts.exceptions.push_back({"dec-1", v1::DECISION_TYPE_CHILD_PROTECTION_EXCEPTION, {common::CONSENT_SCOPE_IDENTIFICATION}, {}});
  EXPECT_EQ(facts.exception_covering(common::CONSENT_SCOPE_IDENTIFICATION), nullptr);
  facts.flags.set_presumed_child(true);
  EXPECT_NE(facts.exception_covering(common::CONSENT_SCOPE_IDENTIFICATION), nullptr);
}

TEST(DecisionDraft, AnExceptionCannotBeMadeToLastLongerThanConfigured) {
  auto request = identification_request();
  request.set_type(v1::DECISION_TYPE_RISK_TO_LIFE_EXCEPTION);
  request.add_exception_scopes(common::CONSENT_SCOPE_POLICE);
  request.add_exception_data(common::DATA_CATEGORY_IDENTITY);
  *request.mutable_exception_valid_until() = TimeUtil::MillisecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::milliseconds>((testing::monday_morning() + std::chrono::hours(24 * 365)).time_since_epoch()).count());
  const auto draft = draft_decision(request, person("a", {}), {}, {30, 30}, testing::monday_morning());
  EXPECT_THAT(draft.violations, Contains(Field(&rpc::FieldViolation::field, "exception_valid_until")));
}

TEST(Access, ConfidentialLocationsStayWithTheirOrganisationAndAdmins) {
  auto shelter = testing::service("shelter", v1::SERVICE_TYPE_SAFE_ACCOMMODATION);
  shelter.set_confidential_location(true);
  shelter.mutable_location()->set_address("Secret street 1");
  EXPECT_FALSE(visible_service(person("someone", {}), shelter).has_location());
  EXPECT_TRUE(visible_service(person("org-shelter", {}), shelter).has_location());
  rpc::Caller admin = person("x", {"directory_admin"});
  admin.jurisdictions = {"RS"};
  EXPECT_TRUE(visible_service(admin, shelter).has_location());
  // An administrator of another country's directory does not learn where a Serbian shelter is.
  admin.jurisdictions = {"MK"};
  EXPECT_FALSE(visible_service(admin, shelter).has_location());
  const auto recipient = recipient_of(shelter);
  EXPECT_EQ(recipient.recipient_id(), "shelter");
  EXPECT_EQ(recipient.DebugString().find("Secret"), std::string::npos);
}

}  // namespace
}  // namespace pact::routing
