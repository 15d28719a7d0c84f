#include "screening_service.h"

#include "catalogue_views.h"
#include "crypto/sealed_message.h"
#include "log/logger.h"
#include "request_validator.h"
#include "rpc/status.h"

namespace pact::screening {
namespace {

grpc::Status pinned_version_missing(const CatalogueVersionUnavailable& e) {
  return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION, e.what());
}

std::string jurisdiction_code(common::v1::Jurisdiction jurisdiction) {
  std::string name = common::v1::Jurisdiction_Name(jurisdiction);
  return name.substr(name.rfind('_') + 1);
}

}  // namespace

// Screening is pure computation of a few microseconds: it runs in the reaction itself.
grpc::ServerUnaryReactor* ScreeningService::Screen(grpc::CallbackServerContext* context,
                                                   const v1::ScreenRequest* request, v1::ScreenResponse* response) {
  return gate_.async_unary(context, "Screen", [this, request, response](const rpc::Caller&, rpc::UnaryCompletion done) {
    if (!request->has_request()) return done(rpc::invalid_argument("nothing to screen", {{"request", "is required"}}));
    auto violations = validate_screening_request(request->request(), "request.");
    if (!violations.empty()) return done(rpc::invalid_argument("the screening request is not valid", violations));
    try {
      *response->mutable_result() = screener_.screen(request->request());
    } catch (const CatalogueVersionUnavailable& e) {
      return done(pinned_version_missing(e));
    }
    done(grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* ScreeningService::ExplainResult(grpc::CallbackServerContext* context,
                                                          const v1::ExplainResultRequest* request,
                                                          v1::ExplainResultResponse* response) {
  if (request->has_request()) {
    return gate_.async_unary(context, "ExplainResult", [this, request, response](const rpc::Caller&,
                                                                                  rpc::UnaryCompletion done) {
      auto violations = validate_screening_request(request->request(), "request.");
      if (!violations.empty()) return done(rpc::invalid_argument("the screening request is not valid", violations));
      try {
        *response->mutable_result() = screener_.screen(request->request());
        for (auto& step : screener_.explain(request->request(), request->language())) *response->add_steps() = step;
      } catch (const CatalogueVersionUnavailable& e) {
        return done(pinned_version_missing(e));
      }
      done(grpc::Status::OK);
    });
  }
  // A case's assessment needs Redis and the case key: blocking work, on the executor.
  return gate_.blocking_unary(context, "ExplainResult", [this, request, response](const rpc::Caller& caller) {
    if (request->case_id().empty()) {
      return rpc::invalid_argument("say what to explain", {{"subject", "a request or a case_id is required"}});
    }
    try {
      return explain_case(caller, request->case_id(), request->language(), *response);
    } catch (const redis::RedisUnavailable&) {
      return rpc::unavailable("the assessment store is unavailable; try again", std::chrono::seconds(1));
    } catch (const crypto::CaseKeyUnavailable&) {
      return rpc::unavailable("the case key cannot be fetched from intake now; try again", std::chrono::seconds(1));
    } catch (const CatalogueVersionUnavailable& e) {
      return pinned_version_missing(e);
    }
  });
}

grpc::Status ScreeningService::explain_case(const rpc::Caller& caller, const std::string& case_id,
                                            const std::string& language, v1::ExplainResultResponse& response) {
  auto stored = store_.load(redis_.next(), case_id);
  if (!stored) {
    return grpc::Status(grpc::StatusCode::NOT_FOUND,
                        "no assessment of case " + case_id + " yet (it is made from the case's events)");
  }
  // People see the assessments of the jurisdictions they work in; services see all. Checked before
  // the case key is asked for, so a refused caller causes no key release.
  if (caller.kind == rpc::CallerKind::person && !caller.works_in(jurisdiction_code(stored->jurisdiction))) {
    return grpc::Status(grpc::StatusCode::PERMISSION_DENIED, "the case is outside your jurisdictions");
  }
  // The observed indicators are personal data: the read is recorded before they are opened.
  const grpc::Status recorded = audit_.record(
      caller, {events::v1::AUDIT_ACTION_PERSONAL_DATA_READ, "pact.screening.v1.ScreeningService/ExplainResult", case_id,
               "", common::v1::ACCESS_PURPOSE_SCREENING, "", ""});
  if (!recorded.ok()) return recorded;
  auto key = keys_.key(case_id, stored->sealed_request.key_version(), "explain-result for " + caller.subject);
  v1::ScreeningRequest request;
  if (!key) return grpc::Status(grpc::StatusCode::NOT_FOUND, "case " + case_id + " was erased");
  if (!crypto::open_message(*key, case_id, stored->sealed_request, request)) {
    return grpc::Status(grpc::StatusCode::DATA_LOSS, "the stored assessment does not open with the case key");
  }
  *response.mutable_result() = screener_.screen(request);
  for (auto& step : screener_.explain(request, language)) *response.add_steps() = step;
  response.set_case_sequence(stored->sequence);
  return grpc::Status::OK;
}

grpc::ServerUnaryReactor* ScreeningService::ListCatalogues(grpc::CallbackServerContext* context,
                                                           const v1::ListCataloguesRequest* request,
                                                           v1::ListCataloguesResponse* response) {
  return gate_.async_unary(context, "ListCatalogues", [this, request, response](const rpc::Caller&,
                                                                                rpc::UnaryCompletion done) {
    if (!common::v1::Sector_IsValid(request->sector()) || !common::v1::Jurisdiction_IsValid(request->jurisdiction())) {
      return done(rpc::invalid_argument("unknown sector or jurisdiction",
                                        {{"sector", "a known sector or unset"}, {"jurisdiction", "a known jurisdiction or unset"}}));
    }
    const std::string language = normalise_language(request->language());
    for (const Catalogue& catalogue : screener_.catalogues().catalogues()) {
      if (request->jurisdiction() != common::v1::JURISDICTION_UNSPECIFIED && !catalogue.applies_in(request->jurisdiction())) {
        continue;
      }
      if (request->sector() != common::v1::SECTOR_UNSPECIFIED && catalogue.view_for(request->sector()) == nullptr) continue;
      *response->add_catalogues() = catalogue_summary(catalogue, language);
    }
    done(grpc::Status::OK);
  });
}

grpc::ServerUnaryReactor* ScreeningService::GetCatalogue(grpc::CallbackServerContext* context,
                                                         const v1::GetCatalogueRequest* request,
                                                         v1::GetCatalogueResponse* response) {
  return gate_.async_unary(context, "GetCatalogue", [this, request, response](const rpc::Caller&,
                                                                              rpc::UnaryCompletion done) {
    if (request->sector() == common::v1::SECTOR_UNSPECIFIED || !common::v1::Sector_IsValid(request->sector())) {
      return done(rpc::invalid_argument("say whose view to return", {{"sector", "is required"}}));
    }
    auto view = sector_view(screener_.catalogues(), request->catalogue_id(), request->sector(), request->jurisdiction(),
                            normalise_language(request->language()));
    if (!view) return done(grpc::Status(grpc::StatusCode::NOT_FOUND, "no catalogue " + request->catalogue_id()));
    *response->mutable_catalogue() = std::move(*view);
    done(grpc::Status::OK);
  });
}

}  // namespace pact::screening
