import Foundation
import LembraCore
import Testing
import TestSupport

/// Thousands of mutated CSV files from a fixed seed through the reader and both decoders: none
/// crashes, every rejection names a row that exists (and a column when it names one), and what is
/// accepted obeys the field rules (no control characters, no formula starters, positive amounts).
struct CSVFuzzTests {
    static let customers = Array("""
        id,name,email,phone,document,timezone,locale
        c1,Ana Souza,ana@example.com,+55 11 91234-5678,529.982.247-25,America/Sao_Paulo,pt-BR
        c2,"Silva, Filhos & Cia",contato@silva.com.br,,,,en
        c3,"Bia ""Bi"" Lima",,(21) 99876-5432,,,

        """.utf8)
    static let debts = Array("""
        id,customer_id,amount,due_date,description,currency,payment_url,paid_at
        d1,c1,1234.56,2026-11-17,Revisão de freios,BRL,https://pay.test/d1,
        d2,c2,10.00,2026-02-28,"Troca de óleo, filtro",,,2026-03-01T10:00:00-03:00
        d3,c3,0.01,2026-12-31,,,,2026-12-31

        """.utf8)

    /// Bytes that matter to a CSV reader or a field rule.
    static let interesting: [[UInt8]] = [
        [0x22], [0x2C], [0x0D], [0x0A], [0x0D, 0x0A], [0x00], [0xFF], [0xC3], [0xC3, 0xA7], [0xEF, 0xBB, 0xBF],
        Array("=cmd|' /C calc'!A0".utf8), Array("+1".utf8), Array("@SUM(A1)".utf8), Array("-2+3".utf8), [0x09], [0x7F],
        Array("\"\"".utf8), Array("9999999999999999999.99".utf8), Array("-10.00".utf8), Array("2026-02-30".utf8),
        Array("1e3".utf8), Array("0.001".utf8), [0xE2, 0x80, 0xA8], Array(",,,,,,,,".utf8), Array("id".utf8),
    ]

    static func mutate(_ seed: [UInt8], _ rng: inout SeededGenerator) -> [UInt8] {
        var b = seed
        for _ in 0..<Int.random(in: 1...4, using: &rng) {
            let at = b.isEmpty ? 0 : Int.random(in: 0...b.count, using: &rng)
            switch Int.random(in: 0..<6, using: &rng) {
            case 0: b.insert(contentsOf: interesting.randomElement(using: &rng)!, at: at)
            case 1 where at < b.count: b[at] = UInt8.random(in: 0...255, using: &rng)
            case 2 where at < b.count: b.removeSubrange(at..<min(b.count, at + Int.random(in: 1...8, using: &rng)))
            case 3 where at < b.count:
                let end = min(b.count, at + Int.random(in: 1...40, using: &rng))
                b.insert(contentsOf: b[at..<end], at: Int.random(in: 0...b.count, using: &rng))
            case 4: b = Array(b.prefix(at))
            default: b.insert(contentsOf: Array(repeating: UInt8(ascii: "x"), count: Int.random(in: 1...70_000, using: &rng) / 100), at: at)
            }
        }
        return b
    }

    static func check(_ error: CSVError, rows: Int, _ label: String) {
        #expect(error.row >= 1 && error.row <= max(rows, 1) + 1, "\(label): row \(error.row) of \(rows): \(error)")
        #expect(!error.message.isEmpty, "\(label): empty message")
        if let column = error.column { #expect(!column.isEmpty || error.row == 1, "\(label): empty column name: \(error)") }
    }

    static func clean(_ field: String) -> Bool {
        !field.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    @Test(arguments: [("customers", 0xC0FFEE as UInt64), ("debts", 0xD0C5 as UInt64)])
    func mutatedFilesAreRejectedWithARowOrAcceptedClean(kind: String, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let base = kind == "customers" ? Self.customers : Self.debts
        var accepted = 0, rejected = 0
        for n in 0..<1_500 {
            let bytes = Self.mutate(base, &rng)
            let label = "\(kind) seed \(seed) case \(n)"
            let lines = bytes.filter { $0 == 0x0A }.count + 1
            let table: CSVTable
            do { table = try CSVReader.parse(bytes) } catch {
                Self.check(error, rows: lines, label)
                rejected += 1
                continue
            }
            do {
                if kind == "customers" {
                    for c in try CustomerRecords.decode(table).map(\.value) {
                        #expect([c.id, c.name, c.email ?? "", c.phone ?? ""].allSatisfy(Self.clean), "\(label): \(c)")
                        #expect(!"=+@".contains(c.name.first!), "\(label): formula accepted: \(c.name)")
                    }
                } else {
                    for d in try DebtRecords.decode(table, timeZone: TimeZone(identifier: "America/Sao_Paulo")!).map(\.value) {
                        #expect(d.amount.cents > 0, "\(label): \(d)")
                        #expect(Self.clean(d.description) && !"=+@".contains(d.description.first ?? " "), "\(label): \(d)")
                    }
                }
                accepted += 1
            } catch {
                #expect(!error.errors.isEmpty, "\(label): a rejection without a reason")
                for e in error.errors { Self.check(e, rows: lines, label) }
                rejected += 1
            }
        }
        #expect(accepted > 0 && rejected > 0, "the mutations should produce both: \(accepted) accepted, \(rejected) rejected")
    }

    @Test func randomBytesNeverCrashTheReader() {
        var rng = SeededGenerator(seed: 42)
        for n in 0..<1_500 {
            let bytes = (0..<Int.random(in: 0...300, using: &rng)).map { _ in
                Bool.random(using: &rng) ? UInt8.random(in: 0...255, using: &rng) : Array(",\"\n\r ab=".utf8).randomElement(using: &rng)!
            }
            do {
                let table = try CSVReader.parse(bytes)
                #expect(table.records.allSatisfy { $0.fields.count == table.header.count }, "case \(n)")
            } catch {
                Self.check(error, rows: bytes.filter { $0 == 0x0A }.count + 1, "random case \(n)")
            }
        }
    }
}
