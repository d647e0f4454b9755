#!/usr/bin/env bash
# Regenerates Tests/Fixtures/spreadsheets/*.csv: CSV files as LibreOffice Calc in pt-BR really
# writes them (';' between fields, decimal comma, thousands dots, R$, dd/mm/yyyy, accented names
# in UTF-8 or in Windows-1252), which the import tests read byte for byte.
#
# Needs LibreOffice (Debian: apt-get install libreoffice-calc-nogui); not run by `make test`,
# which uses the committed files. The source spreadsheets are flat ODF (.fods) written below with
# typed cells (numbers, currency, dates) and pt-BR number formats, so the text in each CSV is
# LibreOffice's own rendering of those values, not ours.
set -euo pipefail
out="$(cd "$(dirname "$0")/.." && pwd)/Tests/Fixtures/spreadsheets"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"

python3 - "$work" <<'PY'
import sys
from xml.sax.saxutils import escape

work = sys.argv[1]
head = """<?xml version="1.0" encoding="UTF-8"?>
<office:document xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" xmlns:number="urn:oasis:names:tc:opendocument:xmlns:datastyle:1.0"
 office:version="1.3" office:mimetype="application/vnd.oasis.opendocument.spreadsheet">
<office:automatic-styles>
 <number:number-style style:name="Namount" number:language="pt" number:country="BR">
  <number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>
 </number:number-style>
 <number:number-style style:name="Nwhole" number:language="pt" number:country="BR">
  <number:number number:decimal-places="0" number:min-decimal-places="0" number:min-integer-digits="1" number:grouping="true"/>
 </number:number-style>
 <number:currency-style style:name="Nbrl" number:language="pt" number:country="BR">
  <number:currency-symbol number:language="pt" number:country="BR">R$</number:currency-symbol><number:text> </number:text>
  <number:number number:decimal-places="2" number:min-decimal-places="2" number:min-integer-digits="1" number:grouping="true"/>
 </number:currency-style>
 <number:date-style style:name="Ndate" number:language="pt" number:country="BR">
  <number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/>
 </number:date-style>
 <number:date-style style:name="Ndatetime" number:language="pt" number:country="BR">
  <number:day number:style="long"/><number:text>/</number:text><number:month number:style="long"/><number:text>/</number:text><number:year number:style="long"/>
  <number:text> </number:text><number:hours number:style="long"/><number:text>:</number:text><number:minutes number:style="long"/><number:text>:</number:text><number:seconds number:style="long"/>
 </number:date-style>
 <style:style style:name="amount" style:family="table-cell" style:data-style-name="Namount"/>
 <style:style style:name="whole" style:family="table-cell" style:data-style-name="Nwhole"/>
 <style:style style:name="brl" style:family="table-cell" style:data-style-name="Nbrl"/>
 <style:style style:name="date" style:family="table-cell" style:data-style-name="Ndate"/>
 <style:style style:name="datetime" style:family="table-cell" style:data-style-name="Ndatetime"/>
</office:automatic-styles>
<office:body><office:spreadsheet>
"""

def cell(v):
    """A string is text; ("amount"|"whole"|"brl"|"plain", number) a number; ("date"|"datetime", iso) a date."""
    if v is None:
        return "<table:table-cell/>"
    if isinstance(v, str):
        return f'<table:table-cell office:value-type="string"><text:p>{escape(v)}</text:p></table:table-cell>'
    kind, value = v
    if kind in ("date", "datetime"):
        return f'<table:table-cell table:style-name="{kind}" office:value-type="date" office:date-value="{value}"/>'
    if kind == "brl":
        return f'<table:table-cell table:style-name="brl" office:value-type="currency" office:currency="BRL" office:value="{value}"/>'
    style = "" if kind == "plain" else f' table:style-name="{kind}"'
    return f'<table:table-cell{style} office:value-type="float" office:value="{value}"/>'

def sheet(name, rows):
    body = "".join("<table:table-row>" + "".join(cell(v) for v in row) + "</table:table-row>\n" for row in rows)
    with open(f"{work}/{name}.fods", "w", encoding="utf-8") as f:
        f.write(head + f'<table:table table:name="{name}">\n{body}</table:table>\n</office:spreadsheet></office:body></office:document>\n')

sheet("customers", [
    ["id", "name", "email", "phone", "document"],
    ["c-joao", "João da Conceição", "joao@exemplo.com.br", "(11) 98765-4321", "529.982.247-25"],
    ["c-maria", "Maria Antônia Araújo", None, "11 98765-4322", None],
    ["c-jose", "José Estêvão", "jose@exemplo.com.br", "+55 11 98765-4323", None],
    ["c-ines", "Inês Gonçalves", "ines@exemplo.com.br", "011987654324", None],
    ["c-fabio", "Fábio Nóbrega", None, "5511987654325", None],
    ["c-loja", "Padaria Pão de Açúcar Ltda", "loja@exemplo.com.br", "(11) 3456-7890", "11.222.333/0001-81"],
])
sheet("debts", [
    ["id", "customer_id", "amount", "due_date", "description", "paid_at"],
    ["d-1", "c-joao", ("amount", "1234.56"), ("date", "2026-11-17"), "Revisão de freios", None],
    ["d-2", "c-maria", ("brl", "189.9"), ("date", "2026-11-20"), "Conserto elétrico", None],
    ["d-3", "c-jose", ("amount", "50"), ("date", "2026-12-05"), "Alinhamento e balanceamento", None],
    ["d-4", "c-ines", ("brl", "1234567.8"), ("date", "2026-12-31"), "Reforma completa — funilaria", None],
    ["d-5", "c-fabio", ("plain", "99.99"), ("date", "2026-11-10"), "Peças", ("datetime", "2026-11-12T09:15:00")],
    ["d-6", "c-loja", ("whole", "1500"), ("date", "2027-01-04"), "Manutenção mensal", None],
])
sheet("payments", [
    ["debt_id", "amount", "paid_at", "reference"],
    ["d-1", ("amount", "1234.56"), ("datetime", "2026-11-18T14:30:00"), "E00038166202611181430a1b2c3d4e5f"],
    ["d-2", ("brl", "189.9"), ("date", "2026-11-19"), None],
])
PY

# Filter options: separator, text delimiter, character set (76 UTF-8, 1 Windows-1252), first
# line, cell formats (none on export), language (1046 = pt-BR). LANG makes LibreOffice's own
# locale pt-BR, as on a Brazilian desktop: cells in the default format follow it (99,99).
convert() { # SOURCE TARGET OPTIONS
    mkdir -p "$work/$2.d"
    LANG=pt_BR.UTF-8 LC_ALL=pt_BR.UTF-8 soffice --headless -env:UserInstallation="file://$work/profile" \
        --convert-to "csv:Text - txt - csv (StarCalc):$3" --outdir "$work/$2.d" "$work/$1.fods" >/dev/null
    mv "$work/$2.d/$1.csv" "$out/$2"
}
for kind in customers debts payments; do
    convert "$kind" "$kind-libreoffice-utf8.csv" "59,34,76,1,,1046"
    convert "$kind" "$kind-libreoffice-1252.csv" "59,34,1,1,,1046"
done
# Comma-separated with pt-BR values, as Google Sheets and LibreOffice write them: the decimal
# comma makes a field that has one quoted.
convert debts "debts-libreoffice-comma.csv" "44,34,76,1,,1046"
ls -l "$out"
