#include "case_reader.h"

#include <google/protobuf/util/time_util.h>

#include <algorithm>

#include "crypto/keyed_hash.h"
#include "crypto/sealed_message.h"
#include "log/logger.h"
#include "rpc/status.h"

namespace pact::intake {
namespace {

constexpr std::uint32_t kDefaultPageSize = 50;
constexpr std::uint32_t kMaxPageSize = 500;
constexpr std::size_t kScanBatch = 200;
constexpr std::size_t kMaxScannedPerPage = 20'000;  // bounds one call's work however sparse the filter

bool may_see(const rpc::Caller& caller, const v1::CaseSummary& summary) { return works_on(caller, summary); }

bool matches(const v1::ListCasesRequest& request, const v1::CaseSummary& summary) {
  if (request.jurisdiction() != common::v1::JURISDICTION_UNSPECIFIED && summary.jurisdiction() != request.jurisdiction()) {
    return false;
  }
  if (!request.site_id().empty() && summary.site().site_id() != request.site_id()) return false;
  if (!request.emergency_id().empty() && summary.emergency_id() != request.emergency_id()) return false;
  if (request.statuses_size() > 0 &&
      std::find(request.statuses().begin(), request.statuses().end(), summary.status()) == request.statuses().end()) {
    return false;
  }
  // Drill data stays out of real lists unless asked for.
  switch (request.exercise()) {
    case common::v1::EXERCISE_FILTER_EXERCISE_ONLY: return summary.exercise();
    case common::v1::EXERCISE_FILTER_ALL: return true;
    default: return !summary.exercise();
  }
}

// Retention erases without reading: a read may not borrow its purpose.
bool is_reading_purpose(common::v1::AccessPurpose purpose) {
  return common::v1::AccessPurpose_IsValid(purpose) && purpose != common::v1::ACCESS_PURPOSE_UNSPECIFIED &&
         purpose != common::v1::ACCESS_PURPOSE_RETENTION;
}

}  // namespace

CaseReader::CaseReader(const config::Hub& hub, CaseStore& store, const crypto::KeyWrapper& key_wrapper,
                       std::chrono::milliseconds key_cache_ttl)
    : hub_(hub), store_(store), key_wrapper_(key_wrapper), key_cache_ttl_(key_cache_ttl) {}

grpc::Status CaseReader::get(const rpc::Caller& caller, const v1::GetCaseRequest& request,
                             v1::GetCaseResponse& response) {
  std::vector<rpc::FieldViolation> violations;
  if (request.case_id().empty()) violations.push_back({"case_id", "is required"});
  if (!is_reading_purpose(request.purpose())) {
    violations.push_back({"purpose", "say why the personal data is read (it is audited)"});
  }
  if (!violations.empty()) return rpc::invalid_argument("the request is not valid", violations);
  auto stored = store_.load(request.case_id());
  v1::CaseSummary summary;
  // A registration staged but not yet confirmed is readable: its client may have been told it is
  // registered, and the journal announces it if its publisher died.
  const bool never_staged = stored && stored->state == "reserved" && stored->pending_event.empty();
  if (!stored || never_staged || !summary.ParseFromString(stored->summary)) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no case " + request.case_id());
  }
  if (!may_see(caller, summary)) {
    return outside_scope();  // logged by the call gate, without the case or the person
  }
  v1::Case& case_record = *response.mutable_case_record();
  // An erasure staged but not yet confirmed has already shredded the data: the tombstone answers.
  if (stored->state != "erased" && summary.status() != v1::CASE_STATUS_ERASED) {
    auto data_key = key_wrapper_.unwrap(stored->wrapped_key, request.case_id());
    common::v1::EncryptedSection sealed;
    if (!data_key || !sealed.ParseFromString(stored->sealed) ||
        !crypto::open_message(*data_key, request.case_id(), sealed, case_record)) {
      return grpc::Status(grpc::StatusCode::DATA_LOSS, "the case data cannot be opened");
    }
  }
  *case_record.mutable_summary() = summary;
  log::info("case read", {{"case_id", request.case_id()}, {"caller", caller.subject},
                          {"purpose", common::v1::AccessPurpose_Name(request.purpose())}});
  return grpc::Status::OK;
}

grpc::Status CaseReader::list(const rpc::Caller& caller, const v1::ListCasesRequest& request,
                              v1::ListCasesResponse& response) {
  std::uint32_t page_size = request.page().page_size() == 0 ? kDefaultPageSize : request.page().page_size();
  if (page_size > kMaxPageSize) {
    return rpc::invalid_argument("the page is too large", {{"page.page_size", "at most 500"}});
  }
  std::int64_t cursor = 0;
  if (!request.page().page_token().empty()) {
    try {
      cursor = std::stoll(request.page().page_token());
    } catch (const std::exception&) {
      return rpc::invalid_argument("the page token is not valid", {{"page.page_token", "use next_page_token as given"}});
    }
  }
  std::size_t scanned = 0;
  bool exhausted = false;
  while (static_cast<std::uint32_t>(response.cases_size()) < page_size && scanned < kMaxScannedPerPage) {
    auto ids = store_.list_ids(cursor, kScanBatch);
    if (ids.empty()) {
      exhausted = true;
      break;
    }
    std::vector<std::string> case_ids;
    for (const auto& [id, score] : ids) case_ids.push_back(id);
    auto summaries = store_.summaries(case_ids);
    for (std::size_t i = 0; i < ids.size(); ++i) {
      cursor = ids[i].second;
      ++scanned;
      v1::CaseSummary summary;
      if (!summaries[i] || summaries[i]->empty() || !summary.ParseFromString(*summaries[i])) continue;
      if (!matches(request, summary) || !may_see(caller, summary)) continue;
      *response.add_cases() = summary;
      if (static_cast<std::uint32_t>(response.cases_size()) == page_size) break;
    }
  }
  if (!exhausted) response.mutable_page()->set_next_page_token(std::to_string(cursor));
  return grpc::Status::OK;
}

grpc::Status CaseReader::release_key(const rpc::Caller& caller, const v1::ReleaseCaseKeyRequest& request,
                                     v1::ReleaseCaseKeyResponse& response) {
  if (caller.kind != rpc::CallerKind::service) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "case keys are released to services only");
  }
  std::vector<rpc::FieldViolation> violations;
  if (request.case_id().empty()) violations.push_back({"case_id", "is required"});
  if (!is_reading_purpose(request.purpose())) {
    violations.push_back({"purpose", "say why the key is needed (it is audited)"});
  }
  if (!violations.empty()) return rpc::invalid_argument("the request is not valid", violations);
  auto stored = store_.load(request.case_id());
  if (!stored || stored->state == "erased" || stored->wrapped_key.empty()) {
    // An erased case's key is gone for good: that is what erasure means.
    return grpc::Status(grpc::StatusCode::NOT_FOUND, "no key for case " + request.case_id());
  }
  auto data_key = key_wrapper_.unwrap(stored->wrapped_key, request.case_id());
  if (!data_key) return grpc::Status(grpc::StatusCode::DATA_LOSS, "the case key cannot be unwrapped");
  // The release is recorded on the audit trail by the API before the key leaves (IntakeService).
  response.set_case_id(request.case_id());
  v1::CaseKey& key = *response.add_keys();
  key.set_key_version(1);
  key.set_key(std::string(data_key->view()));
  *response.mutable_cache_ttl() = google::protobuf::util::TimeUtil::MillisecondsToDuration(key_cache_ttl_.count());
  return grpc::Status::OK;
}

}  // namespace pact::intake
