// The authorization matrix: every role and service identity × every RPC × own/other jurisdiction,
// against a real hub (intake, screening, routing, notification, diagnostics) in production mode
// with the access policy the project ships. The expected allow/deny is written out here by hand,
// not read from the policy file, so a policy edit that opens or closes an RPC fails this test until
// someone decides it on purpose.
//
// "Allowed" means the call got past authorization (any answer but PERMISSION_DENIED or
// UNAUTHENTICATED: OK, NOT_FOUND, FAILED_PRECONDITION …); "denied" means PERMISSION_DENIED.
// "Other jurisdiction" is the same role with a token for North Macedonia calling the Serbian hub
// about a Serbian case (and, for providers, another organisation than the referral's).

#include <functional>
#include <map>
#include <sstream>

#include <google/protobuf/util/time_util.h>
#include <gtest/gtest.h>

#include "notification_fixture.h"
#include "pact/diagnostics/v1/diagnostics.grpc.pb.h"
#include "pact/notification/v1/notification.grpc.pb.h"
#include "pact/routing/v1/directory.grpc.pb.h"
#include "pact/routing/v1/handoff.grpc.pb.h"
#include "pact/routing/v1/routing.grpc.pb.h"
#include "pact/screening/v1/screening.grpc.pb.h"
#include "secure_hub.h"
#include "test_hub.h"

namespace pact::security::testing {
namespace {

using namespace std::chrono_literals;
namespace common = pact::common::v1;
namespace intake_v1 = pact::intake::v1;
namespace routing_v1 = pact::routing::v1;
using pact::testing::ServiceProcess;

// Columns of the expectations, in this order.
constexpr int kPeople = 10;
const char* const kPersonRoles[kPeople] = {"frontline",        "case_worker",     "provider",      "eoc_duty_officer",
                                           "coordinator",      "competent_authority", "directory_admin",
                                           "routing_admin",    "notification_admin",  "administrator"};
constexpr int kServices = 5;
const char* const kServiceCertificates[kServices] = {"intake", "screening", "routing", "notification", "diagnostics"};

struct Expected {
  const char* method;
  // Own jurisdiction: 10 people then 5 services, 'A' allowed or 'D' denied (spaces for reading).
  const char* own;
  // Other jurisdiction: the 10 people only (services have no jurisdiction).
  const char* other;
};

// clang-format off
//                                                                    people     services      people
//                                                                    fcpenCdrna  isrnd        fcpenCdrna
const Expected kMatrix[] = {
    {"pact.intake.v1.IntakeService/RegisterEncounter",               "AADDDDDDDD DDADD", "DDDDDDDDDD"},
    {"pact.intake.v1.IntakeService/GetCase",                         "DADDADDDDD DDDDD", "DDDDDDDDDD"},
    {"pact.intake.v1.IntakeService/AmendCase",                       "AADDADDDDD DDDDD", "DDDDDDDDDD"},
    {"pact.intake.v1.IntakeService/RecordConsent",                   "AADDADDDDD DDDDD", "DDDDDDDDDD"},
    {"pact.intake.v1.IntakeService/ListCases",                       "DADDADDDDD DDDDD", "DADDADDDDD"},
    {"pact.intake.v1.IntakeService/ReleaseCaseKey",                  "DDDDDDDDDD DAADD", "DDDDDDDDDD"},
    {"pact.screening.v1.ScreeningService/Screen",                    "AADDDDDDDD ADDDD", "AADDDDDDDD"},
    {"pact.screening.v1.ScreeningService/ExplainResult",             "AADDADDDDD DDDDD", "DDDDDDDDDD"},
    {"pact.screening.v1.ScreeningService/ListCatalogues",            "AAAAADDDDA DDDDD", "AAAAADDDDA"},
    {"pact.screening.v1.ScreeningService/GetCatalogue",              "AAAAADDDDA DDDDD", "AAAAADDDDA"},
    {"pact.routing.v1.RoutingService/GetReferral",                   "DAADAADADD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.RoutingService/ListReferrals",                 "DAADAADADD DDDDD", "DAADAADADD"},
    {"pact.routing.v1.RoutingService/GetReferralData",               "DDADDDDDDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.RoutingService/AcknowledgeReferral",           "DDADDDDADD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.RoutingService/AcceptReferral",                "DDADDDDADD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.RoutingService/StartReferral",                 "DDADDDDADD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.RoutingService/CompleteReferral",              "DDADDDDADD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.RoutingService/RejectReferral",                "DDADDDDADD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.RoutingService/FailReferral",                  "DDADDDDADD DDDDD", "DDDDDDDDDD"},
    // A reasonable-grounds decision: the competent authority's alone (the policy also lets case
    // workers and coordinators record consent exceptions through this RPC).
    {"pact.routing.v1.RoutingService/RecordDecision",                "DDDDDADDDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.RoutingService/ListDecisions",                 "DADDAADDDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.DirectoryService/ListOrganizations",           "AAAAADADDD DDDDD", "AAAAADADDD"},
    {"pact.routing.v1.DirectoryService/GetService",                  "AAAAADADDD DDDDD", "AAAAADADDD"},
    {"pact.routing.v1.DirectoryService/ListServices",                "AAAAADADDD DDDDD", "AAAAADADDD"},
    {"pact.routing.v1.DirectoryService/AddOrganization",             "DDDDDDADDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.DirectoryService/UpdateOrganization",          "DDDDDDADDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.DirectoryService/AddService",                  "DDDDDDADDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.DirectoryService/UpdateService",               "DDDDDDADDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.DirectoryService/SetCapacity",                 "DDADDDADDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.DirectoryService/GetRecipient",                "DDDDDDADDD DDDAD", "DDDDDDDDDD"},
    {"pact.routing.v1.DirectoryService/ListRecipients",              "DDDDDDADDD DDDAD", "DDDDDDDDDD"},
    {"pact.routing.v1.DirectoryService/ImportDirectory",             "DDDDDDADDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.HandoffService/OfferHandoff",                  "DDDDDDDDDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.HandoffService/AnswerHandoff",                 "DDDDDDDDDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.HandoffService/GetHandoff",                    "DADDADDDDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.HandoffService/EraseHandedOffCase",            "DDDDDDDDDD DDDDD", "DDDDDDDDDD"},
    {"pact.routing.v1.HandoffService/RequestTransfer",               "DADDADDDDD DDDDD", "DDDDDDDDDD"},
    {"pact.notification.v1.NotificationService/Acknowledge",         "DDADDDDDDD DDDDD", "DDADDDDDDD"},
    {"pact.notification.v1.NotificationService/ListDeliveries",      "DADAADDDAD DDDDD", "DDDDDDDDDD"},
    {"pact.notification.v1.NotificationService/Resend",              "DDDDADDDAD DDDDD", "DDDDDDDDDD"},
    {"pact.diagnostics.v1.DiagnosticsService/Echo",                  "DDDDDDDDDA AAAAA", "DDDDDDDDDA"},
    {"pact.diagnostics.v1.DiagnosticsService/RoundTrip",             "DDDDDDDDDA DDDDD", "DDDDDDDDDA"},
    // Last: they change what the calls above need.
    {"pact.intake.v1.IntakeService/WithdrawConsent",                 "AADDADDDDD DDDDD", "DDDDDDDDDD"},
    {"pact.intake.v1.IntakeService/EraseCase",                       "DADDADDDDD DDADD", "DDDDDDDDDD"},
};
// clang-format on

// The stubs one identity calls through (its own channel: a person's TLS channel or a service's
// mutual-TLS one).
struct Stubs {
  std::unique_ptr<intake_v1::IntakeService::Stub> intake;
  std::unique_ptr<screening::v1::ScreeningService::Stub> screening;
  std::unique_ptr<routing_v1::RoutingService::Stub> routing;
  std::unique_ptr<routing_v1::DirectoryService::Stub> directory;
  std::unique_ptr<routing_v1::HandoffService::Stub> handoff;
  std::unique_ptr<notification::v1::NotificationService::Stub> notification;
  std::unique_ptr<diagnostics::v1::DiagnosticsService::Stub> diagnostics;
};

// The records the calls are about: all Serbian, made through the real services.
struct Records {
  std::string case_id;
  std::string erasable_case_id;
  std::string referral_id;
  std::string provider_organisation;
  std::string provider_service_id;
  std::string handoff_id;
  std::string delivery_id;
  std::string recipient_id;
};

using Call = std::function<grpc::Status(Stubs&, grpc::ClientContext*, const Records&)>;

template <class Response, class Request, class Method>
grpc::Status invoke(Method method, grpc::ClientContext* context, const Request& request) {
  Response response;
  return method(context, request, &response);
}

routing_v1::Organization organisation_in(const std::string& id, const char* jurisdiction) {
  routing_v1::Organization organization;
  organization.set_organization_id(id);
  organization.set_name(id + " (fictional)");
  organization.set_kind(routing_v1::ORGANIZATION_KIND_NGO);
  organization.add_jurisdictions(jurisdiction == std::string("RS") ? common::JURISDICTION_RS : common::JURISDICTION_MK);
  organization.set_fictional(true);
  return organization;
}

std::map<std::string, Call> calls() {
  std::map<std::string, Call> table;
  auto add = [&](const std::string& method, Call call) { table.emplace(method, std::move(call)); };

  add("pact.intake.v1.IntakeService/RegisterEncounter", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    static int next = 0;
    auto request = intake::testing::sample_registration("matrix-register-" + std::to_string(++next));
    return invoke<intake_v1::RegisterEncounterResponse>(
        [&](auto* ctx, auto& req, auto* res) { return s.intake->RegisterEncounter(ctx, req, res); }, c, request);
  });
  add("pact.intake.v1.IntakeService/GetCase", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    intake_v1::GetCaseRequest request;
    request.set_case_id(r.case_id);
    request.set_purpose(common::ACCESS_PURPOSE_CASE_MANAGEMENT);
    intake_v1::GetCaseResponse response;
    return s.intake->GetCase(c, request, &response);
  });
  add("pact.intake.v1.IntakeService/AmendCase", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    static int next = 0;
    intake_v1::AmendCaseRequest request;
    request.set_case_id(r.case_id);
    request.set_idempotency_key("matrix-amend-" + std::to_string(++next));
    request.mutable_amendment()->add_resolved_needs(common::NEED_TYPE_INTERPRETER);
    intake_v1::AmendCaseResponse response;
    return s.intake->AmendCase(c, request, &response);
  });
  add("pact.intake.v1.IntakeService/RecordConsent", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    static int next = 0;
    intake_v1::RecordConsentRequest request;
    request.set_case_id(r.case_id);
    request.set_idempotency_key("matrix-consent-" + std::to_string(++next));
    auto& consent = *request.mutable_consent();
    consent.add_scopes(common::CONSENT_SCOPE_SERVICES);
    consent.set_given_by(common::CONSENT_GIVER_PERSON);
    consent.set_method(common::CONSENT_METHOD_VERBAL);
    consent.set_informed_in_language("ar");
    consent.mutable_recorded_by()->set_subject("officer-17");
    consent.mutable_recorded_by()->set_display_name("Officer Example");
    *consent.mutable_given_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
    intake_v1::RecordConsentResponse response;
    return s.intake->RecordConsent(c, request, &response);
  });
  add("pact.intake.v1.IntakeService/WithdrawConsent", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    static int next = 0;
    intake_v1::WithdrawConsentRequest request;
    request.set_case_id(r.case_id);
    request.set_idempotency_key("matrix-withdraw-" + std::to_string(++next));
    request.add_scopes(common::CONSENT_SCOPE_CROSS_BORDER);
    request.set_withdrawn_by(common::CONSENT_GIVER_PERSON);
    intake_v1::WithdrawConsentResponse response;
    return s.intake->WithdrawConsent(c, request, &response);
  });
  add("pact.intake.v1.IntakeService/ListCases", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    intake_v1::ListCasesRequest request;
    intake_v1::ListCasesResponse response;
    return s.intake->ListCases(c, request, &response);
  });
  add("pact.intake.v1.IntakeService/EraseCase", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    static int next = 0;
    intake_v1::EraseCaseRequest request;
    request.set_case_id(r.erasable_case_id);
    request.set_reason(common::ERASURE_REASON_DATA_SUBJECT_REQUEST);
    request.set_idempotency_key("matrix-erase-" + std::to_string(++next));
    intake_v1::EraseCaseResponse response;
    return s.intake->EraseCase(c, request, &response);
  });
  add("pact.intake.v1.IntakeService/ReleaseCaseKey", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    intake_v1::ReleaseCaseKeyRequest request;
    request.set_case_id(r.case_id);
    request.set_purpose(common::ACCESS_PURPOSE_SCREENING);
    intake_v1::ReleaseCaseKeyResponse response;
    return s.intake->ReleaseCaseKey(c, request, &response);
  });

  add("pact.screening.v1.ScreeningService/Screen", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    screening::v1::ScreenRequest request;
    auto& what = *request.mutable_request();
    what.set_sector(common::SECTOR_SOCIAL_WELFARE);
    what.set_jurisdiction(common::JURISDICTION_RS);
    what.set_language("en");
    what.mutable_age()->set_band(common::AGE_BAND_18_20);
    screening::v1::ScreenResponse response;
    return s.screening->Screen(c, request, &response);
  });
  add("pact.screening.v1.ScreeningService/ExplainResult", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    screening::v1::ExplainResultRequest request;
    request.set_case_id(r.case_id);
    request.set_language("en");
    screening::v1::ExplainResultResponse response;
    return s.screening->ExplainResult(c, request, &response);
  });
  add("pact.screening.v1.ScreeningService/ListCatalogues", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    screening::v1::ListCataloguesRequest request;
    screening::v1::ListCataloguesResponse response;
    return s.screening->ListCatalogues(c, request, &response);
  });
  add("pact.screening.v1.ScreeningService/GetCatalogue", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    screening::v1::GetCatalogueRequest request;
    request.set_sector(common::SECTOR_POLICE);
    request.set_language("en");
    screening::v1::GetCatalogueResponse response;
    return s.screening->GetCatalogue(c, request, &response);
  });

  auto referral_call = [&](const std::string& name, auto method) {
    add("pact.routing.v1.RoutingService/" + name, [method](Stubs& s, grpc::ClientContext* c, const Records& r) {
      return method(*s.routing, c, r.referral_id);
    });
  };
  referral_call("GetReferral", [](auto& stub, auto* c, const std::string& id) {
    routing_v1::GetReferralRequest request;
    request.set_referral_id(id);
    routing_v1::GetReferralResponse response;
    return stub.GetReferral(c, request, &response);
  });
  referral_call("GetReferralData", [](auto& stub, auto* c, const std::string& id) {
    routing_v1::GetReferralDataRequest request;
    request.set_referral_id(id);
    request.set_purpose(common::ACCESS_PURPOSE_SERVICE_DELIVERY);
    routing_v1::GetReferralDataResponse response;
    return stub.GetReferralData(c, request, &response);
  });
  referral_call("AcknowledgeReferral", [](auto& stub, auto* c, const std::string& id) {
    routing_v1::AcknowledgeReferralRequest request;
    request.set_referral_id(id);
    routing_v1::AcknowledgeReferralResponse response;
    return stub.AcknowledgeReferral(c, request, &response);
  });
  referral_call("AcceptReferral", [](auto& stub, auto* c, const std::string& id) {
    routing_v1::AcceptReferralRequest request;
    request.set_referral_id(id);
    routing_v1::AcceptReferralResponse response;
    return stub.AcceptReferral(c, request, &response);
  });
  referral_call("StartReferral", [](auto& stub, auto* c, const std::string& id) {
    routing_v1::StartReferralRequest request;
    request.set_referral_id(id);
    routing_v1::StartReferralResponse response;
    return stub.StartReferral(c, request, &response);
  });
  referral_call("CompleteReferral", [](auto& stub, auto* c, const std::string& id) {
    routing_v1::CompleteReferralRequest request;
    request.set_referral_id(id);
    routing_v1::CompleteReferralResponse response;
    return stub.CompleteReferral(c, request, &response);
  });
  referral_call("RejectReferral", [](auto& stub, auto* c, const std::string& id) {
    routing_v1::RejectReferralRequest request;
    request.set_referral_id(id);
    request.set_reason(routing_v1::REFERRAL_STATUS_REASON_NO_CAPACITY);
    routing_v1::RejectReferralResponse response;
    return stub.RejectReferral(c, request, &response);
  });
  referral_call("FailReferral", [](auto& stub, auto* c, const std::string& id) {
    routing_v1::FailReferralRequest request;
    request.set_referral_id(id);
    request.set_reason(routing_v1::REFERRAL_STATUS_REASON_NO_CAPACITY);
    routing_v1::FailReferralResponse response;
    return stub.FailReferral(c, request, &response);
  });
  add("pact.routing.v1.RoutingService/ListReferrals", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    routing_v1::ListReferralsRequest request;
    routing_v1::ListReferralsResponse response;
    return s.routing->ListReferrals(c, request, &response);
  });
  add("pact.routing.v1.RoutingService/RecordDecision", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    static int next = 0;
    routing_v1::RecordDecisionRequest request;
    request.set_idempotency_key("matrix-decision-" + std::to_string(++next));
    request.set_case_id(r.case_id);
    request.set_type(routing_v1::DECISION_TYPE_REASONABLE_GROUNDS);
    request.set_outcome(routing_v1::DECISION_OUTCOME_POSITIVE);
    request.mutable_decided_by()->set_subject("decider-1");
    request.mutable_decided_by()->set_display_name("Decider");
    request.set_reason("grounds recorded in the file");
    *request.mutable_decided_at() = google::protobuf::util::TimeUtil::GetCurrentTime();
    routing_v1::RecordDecisionResponse response;
    return s.routing->RecordDecision(c, request, &response);
  });
  add("pact.routing.v1.RoutingService/ListDecisions", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    routing_v1::ListDecisionsRequest request;
    request.set_case_id(r.case_id);
    routing_v1::ListDecisionsResponse response;
    return s.routing->ListDecisions(c, request, &response);
  });

  add("pact.routing.v1.DirectoryService/ListOrganizations", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    routing_v1::ListOrganizationsRequest request;
    routing_v1::ListOrganizationsResponse response;
    return s.directory->ListOrganizations(c, request, &response);
  });
  add("pact.routing.v1.DirectoryService/GetService", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    routing_v1::GetServiceRequest request;
    request.set_service_id(r.provider_service_id);
    routing_v1::GetServiceResponse response;
    return s.directory->GetService(c, request, &response);
  });
  add("pact.routing.v1.DirectoryService/ListServices", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    routing_v1::ListServicesRequest request;
    routing_v1::ListServicesResponse response;
    return s.directory->ListServices(c, request, &response);
  });
  add("pact.routing.v1.DirectoryService/AddOrganization", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    static int next = 0;
    routing_v1::AddOrganizationRequest request;
    *request.mutable_organization() = organisation_in("rs-matrix-" + std::to_string(++next), "RS");
    routing_v1::AddOrganizationResponse response;
    return s.directory->AddOrganization(c, request, &response);
  });
  add("pact.routing.v1.DirectoryService/UpdateOrganization", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    routing_v1::UpdateOrganizationRequest request;
    *request.mutable_organization() = organisation_in(r.provider_organisation, "RS");
    routing_v1::UpdateOrganizationResponse response;
    return s.directory->UpdateOrganization(c, request, &response);
  });
  add("pact.routing.v1.DirectoryService/AddService", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    static int next = 0;
    routing_v1::AddServiceRequest request;
    auto& service = *request.mutable_service();
    service.set_service_id("rs-matrix-service-" + std::to_string(++next));
    service.set_organization_id(r.provider_organisation);
    service.set_name("Matrix interpretation (fictional)");
    service.set_type(routing_v1::SERVICE_TYPE_INTERPRETATION);
    service.mutable_area()->add_jurisdictions(common::JURISDICTION_RS);
    service.set_fictional(true);
    routing_v1::AddServiceResponse response;
    return s.directory->AddService(c, request, &response);
  });
  add("pact.routing.v1.DirectoryService/UpdateService", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    routing_v1::UpdateServiceRequest request;
    auto& service = *request.mutable_service();
    service.set_service_id(r.provider_service_id);
    service.set_organization_id(r.provider_organisation);
    service.set_name("Updated (fictional)");
    service.set_type(routing_v1::SERVICE_TYPE_INTERPRETATION);
    service.mutable_area()->add_jurisdictions(common::JURISDICTION_RS);
    service.set_fictional(true);
    routing_v1::UpdateServiceResponse response;
    return s.directory->UpdateService(c, request, &response);
  });
  add("pact.routing.v1.DirectoryService/SetCapacity", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    routing_v1::SetCapacityRequest request;
    request.set_service_id(r.provider_service_id);
    request.set_available(2);
    routing_v1::SetCapacityResponse response;
    return s.directory->SetCapacity(c, request, &response);
  });
  add("pact.routing.v1.DirectoryService/GetRecipient", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    routing_v1::GetRecipientRequest request;
    request.set_recipient_id(r.recipient_id);
    routing_v1::GetRecipientResponse response;
    return s.directory->GetRecipient(c, request, &response);
  });
  add("pact.routing.v1.DirectoryService/ListRecipients", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    routing_v1::ListRecipientsRequest request;
    request.set_jurisdiction(common::JURISDICTION_RS);
    routing_v1::ListRecipientsResponse response;
    return s.directory->ListRecipients(c, request, &response);
  });
  add("pact.routing.v1.DirectoryService/ImportDirectory", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    routing_v1::ImportDirectoryRequest request;
    request.set_format(routing_v1::IMPORT_FORMAT_JSON);
    request.set_content(routing::test_directory("RS"));
    request.set_source_name("matrix.json");
    request.set_dry_run(true);
    routing_v1::ImportDirectoryResponse response;
    return s.directory->ImportDirectory(c, request, &response);
  });

  add("pact.routing.v1.HandoffService/OfferHandoff", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    routing_v1::OfferHandoffRequest request;
    request.mutable_offer()->set_handoff_id("hof-matrix");
    request.mutable_offer()->set_sending_hub("mk");
    routing_v1::OfferHandoffResponse response;
    return s.handoff->OfferHandoff(c, request, &response);
  });
  add("pact.routing.v1.HandoffService/AnswerHandoff", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    routing_v1::AnswerHandoffRequest request;
    request.set_handoff_id(r.handoff_id);
    request.mutable_accepted();
    routing_v1::AnswerHandoffResponse response;
    return s.handoff->AnswerHandoff(c, request, &response);
  });
  add("pact.routing.v1.HandoffService/GetHandoff", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    routing_v1::GetHandoffRequest request;
    request.set_handoff_id(r.handoff_id);
    routing_v1::GetHandoffResponse response;
    return s.handoff->GetHandoff(c, request, &response);
  });
  add("pact.routing.v1.HandoffService/EraseHandedOffCase", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    routing_v1::EraseHandedOffCaseRequest request;
    request.set_handoff_id(r.handoff_id);
    request.set_sending_case_id(r.case_id);
    request.set_reason(common::ERASURE_REASON_DATA_SUBJECT_REQUEST);
    routing_v1::EraseHandedOffCaseResponse response;
    return s.handoff->EraseHandedOffCase(c, request, &response);
  });
  add("pact.routing.v1.HandoffService/RequestTransfer", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    routing_v1::RequestTransferRequest request;
    request.set_case_id(r.case_id);
    request.set_receiving_jurisdiction(common::JURISDICTION_MK);
    routing_v1::RequestTransferResponse response;
    return s.handoff->RequestTransfer(c, request, &response);
  });

  add("pact.notification.v1.NotificationService/Acknowledge", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    notification::v1::AcknowledgeRequest request;
    request.set_token("not-a-real-acknowledgement-token");
    notification::v1::AcknowledgeResponse response;
    return s.notification->Acknowledge(c, request, &response);
  });
  add("pact.notification.v1.NotificationService/ListDeliveries", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    notification::v1::ListDeliveriesRequest request;
    request.set_referral_id(r.referral_id);
    notification::v1::ListDeliveriesResponse response;
    return s.notification->ListDeliveries(c, request, &response);
  });
  add("pact.notification.v1.NotificationService/Resend", [](Stubs& s, grpc::ClientContext* c, const Records& r) {
    notification::v1::ResendRequest request;
    request.set_delivery_id(r.delivery_id);
    request.set_reason("matrix");
    notification::v1::ResendResponse response;
    return s.notification->Resend(c, request, &response);
  });
  add("pact.diagnostics.v1.DiagnosticsService/Echo", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    diagnostics::v1::EchoRequest request;
    request.set_payload("ping");
    diagnostics::v1::EchoResponse response;
    return s.diagnostics->Echo(c, request, &response);
  });
  add("pact.diagnostics.v1.DiagnosticsService/RoundTrip", [](Stubs& s, grpc::ClientContext* c, const Records&) {
    diagnostics::v1::RoundTripRequest request;
    request.set_probe_id("matrix-probe");
    diagnostics::v1::RoundTripResponse response;
    return s.diagnostics->RoundTrip(c, request, &response);
  });
  return table;
}

class AuthorizationMatrix : public ::testing::Test {
 protected:
  void SetUp() override {
    PACT_REQUIRE_INFRASTRUCTURE();
    hub_ = std::make_unique<routing::TestHub>("matrix", "RS");
    secure(hub_->platform);
    // A peer that never answers: a transfer to it stays in flight, so there is a handoff to ask about.
    hub_->start("    mk: \"MK @ 127.0.0.1:" + std::to_string(pact::testing::free_port()) + "\"\n");
    const fs::path dir = fs::temp_directory_path() / ("pact-matrix-" + hub_->platform.hub.prefix());
    notification::testing::write_notification_secrets(dir);
    notification_ = std::make_unique<ServiceProcess>(
        "services/notification/pact-notification", hub_->platform,
        notification::testing::notification_section(dir, hub_->routing->address(), pact::testing::free_port(),
                                                    notification::testing::DeliveryTuning{}));
    notification_->start();
    diagnostics_ = std::make_unique<ServiceProcess>("tools/diagnostics/pact-diagnostics", hub_->platform, "");
    diagnostics_->start();
  }

  Stubs stubs_over(const std::function<std::shared_ptr<grpc::Channel>(const std::string&)>& channel) {
    Stubs stubs;
    stubs.intake = intake_v1::IntakeService::NewStub(channel(hub_->intake->address()));
    stubs.screening = screening::v1::ScreeningService::NewStub(channel(hub_->screening->address()));
    stubs.routing = routing_v1::RoutingService::NewStub(channel(hub_->routing->address()));
    stubs.directory = routing_v1::DirectoryService::NewStub(channel(hub_->routing->address()));
    stubs.handoff = routing_v1::HandoffService::NewStub(channel(hub_->routing->address()));
    stubs.notification = notification::v1::NotificationService::NewStub(channel(notification_->address()));
    stubs.diagnostics = diagnostics::v1::DiagnosticsService::NewStub(channel(diagnostics_->address()));
    return stubs;
  }
  Stubs person_stubs() {
    return stubs_over([&](const std::string& address) {
      return ClientIdentity::for_person(hub_->platform.security.tls.ca_file, "").channel(address);
    });
  }

  // Registers the Serbian cases and waits for what the calls are about.
  Records make_records() {
    Records records;
    Stubs stubs = person_stubs();
    const rpc::Caller officer = person("officer-17", "police-rs", {"frontline"}, {"RS"});
    for (std::string* id : {&records.case_id, &records.erasable_case_id}) {
      intake_v1::RegisterEncounterResponse registered;
      auto request = routing::moving_on(*id == records.case_id ? "matrix-main" : "matrix-erasable", common::JURISDICTION_MK);
      request.mutable_encounter()->mutable_reported_flags()->set_language_barrier(true);
      request.mutable_encounter()->clear_next_destination();  // transferred on request below
      grpc::Status status = stubs.intake->RegisterEncounter(as_person(officer).get(), request, &registered);
      EXPECT_TRUE(status.ok()) << status.error_message();
      *id = registered.case_id();
    }
    const rpc::Caller coordinator = person("nc-1", "nrm-rs", {"coordinator"}, {"RS"});
    EXPECT_TRUE(pact::testing::eventually(
        [&] {
          routing_v1::ListReferralsRequest request;
          request.set_case_id(records.case_id);
          routing_v1::ListReferralsResponse response;
          if (!stubs.routing->ListReferrals(as_person(coordinator).get(), request, &response).ok()) return false;
          for (const auto& referral : response.referrals()) {
            if (referral.organization_id().empty() || referral.service_id().empty()) continue;
            records.referral_id = referral.referral_id();
            records.provider_organisation = referral.organization_id();
            records.provider_service_id = referral.service_id();
            records.recipient_id = referral.service_id();
            return true;
          }
          return false;
        },
        60s))
        << "no referral for the case";
    routing_v1::RequestTransferRequest transfer;
    transfer.set_case_id(records.case_id);
    transfer.set_receiving_jurisdiction(common::JURISDICTION_MK);
    routing_v1::RequestTransferResponse transferred;
    const rpc::Caller worker = person("cw-1", "csw-rs", {"case_worker"}, {"RS"});
    grpc::Status status = stubs.handoff->RequestTransfer(as_person(worker).get(), transfer, &transferred);
    EXPECT_TRUE(status.ok()) << status.error_message();
    records.handoff_id = transferred.handoff().handoff_id();
    EXPECT_FALSE(records.handoff_id.empty()) << "the transfer made no handoff";
    EXPECT_TRUE(pact::testing::eventually(
        [&] {
          notification::v1::ListDeliveriesRequest request;
          request.set_referral_id(records.referral_id);
          notification::v1::ListDeliveriesResponse response;
          if (!stubs.notification->ListDeliveries(as_person(coordinator).get(), request, &response).ok()) return false;
          if (response.deliveries().empty()) return false;
          records.delivery_id = response.deliveries(0).delivery_id();
          return true;
        },
        60s))
        << "no delivery for the referral";
    return records;
  }

  std::unique_ptr<routing::TestHub> hub_;
  std::unique_ptr<ServiceProcess> notification_;
  std::unique_ptr<ServiceProcess> diagnostics_;
};

bool denied(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::PERMISSION_DENIED ||
         status.error_code() == grpc::StatusCode::UNAUTHENTICATED;
}

TEST_F(AuthorizationMatrix, EveryRoleAndServiceGetsExactlyTheRpcsWrittenHere) {
  const Records records = make_records();
  ASSERT_FALSE(records.referral_id.empty());
  auto table = calls();
  Stubs people = person_stubs();
  std::vector<Stubs> services;
  for (const char* certificate : kServiceCertificates) {
    services.push_back(stubs_over([&](const std::string& address) { return service_channel(address, certificate); }));
  }

  std::vector<std::string> mismatches;
  int checked = 0;
  auto check = [&](const std::string& method, const std::string& who, char expected, const grpc::Status& status) {
    ++checked;
    const char actual = denied(status) ? 'D' : 'A';
    if (actual != expected) {
      mismatches.push_back(method + " by " + who + ": expected " + (expected == 'A' ? "allowed" : "denied") + ", got " +
                           std::to_string(static_cast<int>(status.error_code())) + " " + status.error_message());
    }
  };
  auto person_of = [&](int column, bool own) {
    const std::string role = kPersonRoles[column];
    std::string organisation = own ? "org-rs" : "org-mk";
    if (role == "provider") organisation = own ? records.provider_organisation : "mk-ngo-one";
    return person(role + (own ? "-rs" : "-mk"), organisation, {role}, {own ? "RS" : "MK"});
  };

  for (bool own : {false, true}) {  // the other jurisdiction first: its calls must change nothing
    for (const Expected& row : kMatrix) {
      auto call = table.find(row.method);
      ASSERT_NE(call, table.end()) << "no call written for " << row.method;
      const std::string expected = own ? row.own : row.other;
      for (int column = 0; column < kPeople; ++column) {
        const rpc::Caller caller = person_of(column, own);
        check(row.method, caller.roles[0] + (own ? " (own)" : " (other)"), expected[static_cast<std::size_t>(column)],
              call->second(people, as_person(caller).get(), records));
      }
      if (!own) continue;
      for (int column = 0; column < kServices; ++column) {
        check(row.method, std::string("service ") + kServiceCertificates[column],
              expected[static_cast<std::size_t>(kPeople + 1 + column)],
              call->second(services[static_cast<std::size_t>(column)], with_token("").get(), records));
      }
    }
  }
  // Every RPC of every service is in the matrix.
  std::set<std::string> written;
  for (const Expected& row : kMatrix) written.insert(row.method);
  for (const char* service : {"pact.intake.v1.IntakeService", "pact.screening.v1.ScreeningService",
                              "pact.routing.v1.RoutingService", "pact.routing.v1.DirectoryService",
                              "pact.routing.v1.HandoffService", "pact.notification.v1.NotificationService",
                              "pact.diagnostics.v1.DiagnosticsService"}) {
    const auto* descriptor = google::protobuf::DescriptorPool::generated_pool()->FindServiceByName(service);
    ASSERT_NE(descriptor, nullptr) << service;
    for (int i = 0; i < descriptor->method_count(); ++i) {
      EXPECT_EQ(written.count(std::string(service) + "/" + descriptor->method(i)->name()), 1U)
          << "not in the matrix: " << service << "/" << descriptor->method(i)->name();
    }
  }
  std::ostringstream report;
  for (const auto& mismatch : mismatches) report << "\n  " << mismatch;
  EXPECT_TRUE(mismatches.empty()) << mismatches.size() << " of " << checked << " calls:" << report.str();
  std::cout << "authorization matrix: " << checked << " calls checked\n";
}

}  // namespace
}  // namespace pact::security::testing
