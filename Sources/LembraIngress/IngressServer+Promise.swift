import Foundation
import Hummingbird
import HTTPTypes
import LembraCore
import LembraStore
import NIOCore

/// `GET /promise?<signed link>` shows the promise form; `POST /promise` records it. The link is
/// checked on both (the form sends its fields back), then the ledger is read or written on the
/// ledger queue, as for payments. Logs carry the debt id and step only.
extension IngressServer {
    /// What the ledger said about the link's debt, or that it was unavailable.
    private enum Lookup { case found(PromiseSubject), notOpen, failed }

    func promisePage(_ request: Request, settings promise: PromiseSettings) async -> Response {
        let route = "/promise"
        guard let (link, fields) = verified(request.uri.query ?? "", promise, route: route) else {
            return html(.forbidden, PromisePage.unavailable(locale: promise.locale))
        }
        switch await subject(link) {
        case .failed: return html(.serviceUnavailable, PromisePage.unavailable(locale: promise.locale))
        case .notOpen: return html(.gone, PromisePage.unavailable(locale: promise.locale))
        case .found(let subject):
            let locale = subject.locale ?? promise.locale
            if subject.alreadyUsed { return html(.conflict, PromisePage.alreadyUsed(locale: locale)) }
            let dates = PromiseDates(today: CalendarDate(now(), in: zone(subject, promise)), maxDays: promise.maxDays)
            return html(.ok, PromisePage.form(PromiseSubjectView(subject, locale: locale), dates: dates, fields: fields, problem: false, locale: locale))
        }
    }

    func promiseSubmit(_ request: Request, settings promise: PromiseSettings) async -> Response {
        let route = "/promise"
        var request = request
        let body: Data
        do throws(IngressRejection) { body = try await collect(&request) } catch { return rejected(error, route: route) }
        guard let (link, fields) = verified(String(decoding: body, as: UTF8.self), promise, route: route) else {
            return html(.forbidden, PromisePage.unavailable(locale: promise.locale))
        }
        guard case .found(let subject) = await subject(link) else { return html(.gone, PromisePage.unavailable(locale: promise.locale)) }
        let locale = subject.locale ?? promise.locale
        if subject.alreadyUsed { return html(.conflict, PromisePage.alreadyUsed(locale: locale)) }
        let now = now()
        let dates = PromiseDates(today: CalendarDate(now, in: zone(subject, promise)), maxDays: promise.maxDays)
        guard let date = fields["date"].flatMap(CalendarDate.init(iso:)), dates.contains(date) else {
            log(true, "ingress_rejected", [("route", route), ("reason", "date_out_of_range"), ("debt", link.debtID)])
            return html(.badRequest, PromisePage.form(PromiseSubjectView(subject, locale: locale), dates: dates, fields: fields, problem: true, locale: locale))
        }
        let ledger = self.ledger
        let result: Result<PromiseOutcome, StoreError> = await withCheckedContinuation { done in
            ledgerQueue.async {
                done.resume(returning: Result { () throws(StoreError) in
                    try ledger.promise(debtID: link.debtID, dueDate: link.dueDate, stepID: link.stepID, through: date, now: now)
                })
            }
        }
        switch result {
        case .success(.recorded):
            log(false, "ingress_promise", [("debt", link.debtID), ("step", link.stepID), ("through", date.iso)])
            return html(.ok, PromisePage.recorded(date, locale: locale))
        case .success(.alreadyUsed): return html(.conflict, PromisePage.alreadyUsed(locale: locale))
        case .success(.notOpen): return html(.gone, PromisePage.unavailable(locale: promise.locale))
        case .failure(let error):
            log(true, "ingress_failed", [("route", route), ("error", error.description)])
            return html(.serviceUnavailable, PromisePage.unavailable(locale: locale))
        }
    }

    /// The link in `text` (a query or a form body) and its decoded fields, or nil (logged) when
    /// it is malformed, altered or expired.
    private func verified(_ text: String, _ promise: PromiseSettings, route: String) -> (PromiseLink, [String: String])? {
        guard let fields = FormFields.parse(text[...]) else {
            log(true, "ingress_rejected", [("route", route), ("reason", "malformed")]); return nil
        }
        do throws(SignedLinkError) {
            return (try PromiseLink.verify(fields, sign: promise.sign, now: now()), fields)
        } catch {
            log(true, "ingress_rejected", [("route", route), ("reason", error.reason)]); return nil
        }
    }

    private func subject(_ link: PromiseLink) async -> Lookup {
        let (ledger, log) = (self.ledger, self.log)
        return await withCheckedContinuation { done in
            ledgerQueue.async {
                do throws(StoreError) {
                    let found = try ledger.promiseSubject(debtID: link.debtID, dueDate: link.dueDate, stepID: link.stepID)
                    done.resume(returning: found.map(Lookup.found) ?? .notOpen)
                } catch {
                    log(true, "ingress_failed", [("route", "/promise"), ("error", error.description)])
                    done.resume(returning: .failed)
                }
            }
        }
    }

    private func zone(_ subject: PromiseSubject, _ promise: PromiseSettings) -> TimeZone {
        subject.timezone.flatMap(TimeZone.init(identifier:)) ?? promise.timeZone
    }

    private func html(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
