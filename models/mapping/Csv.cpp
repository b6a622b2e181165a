#include "Csv.h"

#include <QCoreApplication>
#include <QIODevice>
#include <QRegularExpression>

#include <algorithm>

namespace ecotone {

namespace {
constexpr qint64 kChunk = 1 << 16;
// No CRM record comes near this; a "record" this long means the file is not CSV (or lost its line ends), and
// reading on would only fill memory.
constexpr qsizetype kMaxRecordChars = 4 * 1024 * 1024;

// A decoder keeps the first bytes of a character that a chunk boundary cut in two until the next chunk
// completes it; at the end of the input such bytes are a truncated character, which Qt does not report.
struct DecoderState : QStringDecoder
{
    static bool midCharacter(const QStringDecoder &decoder)
    {
        return (decoder.*(&DecoderState::state)).remainingChars != 0;
    }
};

// Windows-1252 as browsers read it (WHATWG): Latin-1 except 0x80-0x9F, where the five unassigned bytes map to
// the C1 controls of the same value. Qt 6.4 has no built-in decoder for it.
QString decodeWindows1252(const QByteArray &bytes)
{
    static const char16_t high[32] = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                      0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
                                      0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                      0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};
    QString out(bytes.size(), Qt::Uninitialized);
    QChar *d = out.data();
    for (const char c : bytes) {
        const uchar b = uchar(c);
        *d++ = QChar(b >= 0x80 && b < 0xA0 ? high[b - 0x80] : char16_t(b));
    }
    return out;
}

bool hasNonAscii(const QByteArray &bytes)
{
    for (const char c : bytes)
        if (uchar(c) >= 0x80)
            return true;
    return false;
}
} // namespace

CsvReader::CsvReader(QIODevice *device, QString sourceName)
    : m_device(device)
    , m_source(std::move(sourceName))
{}

QString CsvReader::encoding() const
{
    return m_windows1252 ? QStringLiteral("Windows-1252") : QString::fromLatin1(m_encoding);
}

bool CsvReader::fill()
{
    if (m_eof)
        return false;
    QByteArray bytes = m_device->read(kChunk);
    if (!m_started) {
        m_started = true;
        // Pick the decoder from the byte-order mark; without one, UTF-8 unless it turns out to be Windows-1252.
        m_bomSeen = bytes.startsWith("\xEF\xBB\xBF") || bytes.startsWith("\xFF\xFE") || bytes.startsWith("\xFE\xFF");
        // Text never holds NUL bytes unless it is UTF-16, which carries a BOM here.
        if (!m_bomSeen && bytes.contains('\0')) {
            m_error = QCoreApplication::translate("ecotone::CsvReader",
                                                  "%1 is not a text file (it contains NUL bytes); export it from the "
                                                  "CRM as CSV.")
                          .arg(m_source);
            m_eof = true;
            return false;
        }
        if (bytes.startsWith("\xEF\xBB\xBF")) {
            bytes.remove(0, 3);
            m_decoder = QStringDecoder(QStringConverter::Utf8);
            m_encoding = "UTF-8 with BOM";
        } else if (bytes.startsWith("\xFF\xFE")) {
            m_decoder = QStringDecoder(QStringConverter::Utf16LE);
            m_encoding = "UTF-16 LE";
            bytes.remove(0, 2);
        } else if (bytes.startsWith("\xFE\xFF")) {
            m_decoder = QStringDecoder(QStringConverter::Utf16BE);
            m_encoding = "UTF-16 BE";
            bytes.remove(0, 2);
        } else {
            m_decoder = QStringDecoder(QStringConverter::Utf8);
        }
    }
    m_buffer.remove(0, m_pos);
    m_pos = 0;
    const qsizetype decodedFrom = m_buffer.size();
    if (bytes.isEmpty()) {
        m_eof = true;
        if (!DecoderState::midCharacter(m_decoder))
            return false;
    } else if (m_windows1252) {
        m_bytesRead += bytes.size();
        m_buffer += decodeWindows1252(bytes);
        return true;
    } else {
        m_bytesRead += bytes.size();
        const QString decoded = m_decoder.decode(bytes);
        if (!m_decoder.hasError()) {
            m_buffer += decoded;
            m_utf8Confirmed = m_utf8Confirmed || hasNonAscii(bytes);
            return true;
        }
        // Not UTF-8. Without a byte-order mark and with nothing but ASCII before the bad byte, this is a legacy
        // Windows file (Excel's "CSV" on Western systems): read the whole of it as Windows-1252. Text that was
        // valid UTF-8 up to here, or declared by a BOM, stays an error instead of being guessed at.
        const qsizetype bad = decoded.indexOf(QChar::ReplacementCharacter);
        const QStringView before = QStringView(decoded).first(bad < 0 ? decoded.size() : bad);
        const bool asciiBefore = std::all_of(before.begin(), before.end(), [](QChar c) { return c.unicode() < 0x80; });
        if (!m_bomSeen && !m_utf8Confirmed && asciiBefore) {
            m_windows1252 = true;
            m_buffer += decodeWindows1252(bytes);
            return true;
        }
        m_buffer += decoded;
    }
    // The chunk was decoded ahead of the parser: name the line of the first bad character, not the parser's.
    qsizetype bad = m_buffer.indexOf(QChar::ReplacementCharacter, decodedFrom);
    if (bad < 0)
        bad = m_buffer.size();
    const qint64 line = m_line + QStringView(m_buffer).first(bad).count(QLatin1Char('\n'));
    m_error =
        QCoreApplication::translate("ecotone::CsvReader", "%1, near line %2: the text is not valid UTF-8 or UTF-16. "
                                                          "Save the file as UTF-8 and try again.")
            .arg(m_source)
            .arg(line);
    return false;
}

void CsvReader::sniff()
{
    // Count candidate delimiters outside quotes on the first line; the most frequent wins, comma on a tie.
    const QChar candidates[] = {QLatin1Char(','), QLatin1Char(';'), QLatin1Char('\t'), QLatin1Char('|')};
    int counts[4] = {0, 0, 0, 0};
    bool quoted = false;
    // Blank lines before the header are skipped when reading, so they must not count as the first line.
    qsizetype start = m_pos;
    while (start < m_buffer.size() &&
           (m_buffer.at(start) == QLatin1Char('\n') || m_buffer.at(start) == QLatin1Char('\r')))
        ++start;
    for (qsizetype i = start; i < m_buffer.size(); ++i) {
        const QChar c = m_buffer.at(i);
        if (c == QLatin1Char('"'))
            quoted = !quoted;
        else if (!quoted && (c == QLatin1Char('\n') || c == QLatin1Char('\r')))
            break;
        else if (!quoted)
            for (int k = 0; k < 4; ++k)
                if (c == candidates[k])
                    ++counts[k];
    }
    int best = 0;
    for (int k = 1; k < 4; ++k)
        if (counts[k] > counts[best])
            best = k;
    m_delimiter = candidates[best];
}

bool CsvReader::next(QStringList &fields)
{
    fields.clear();
    if (!m_error.isEmpty())
        return false;
    if (!m_started) {
        // Make sure the whole first line is buffered before sniffing (within reason).
        while (fill() && !m_buffer.contains(QLatin1Char('\n')) && m_buffer.size() <= kMaxRecordChars) {
        }
        if (!m_error.isEmpty())
            return false;
        if (m_buffer.size() > kMaxRecordChars && !m_buffer.contains(QLatin1Char('\n'))) {
            m_error = QCoreApplication::translate("ecotone::CsvReader",
                                                  "%1, line 1: the first line is longer than %2 characters; "
                                                  "this does not look like a CSV file.")
                          .arg(m_source)
                          .arg(kMaxRecordChars);
            return false;
        }
        sniff();
    }
    // Skip blank lines between records.
    for (;;) {
        if (m_pos >= m_buffer.size() && !fill())
            return false;
        const QChar c = m_buffer.at(m_pos);
        if (c == QLatin1Char('\n')) {
            ++m_line;
            ++m_pos;
        } else if (c == QLatin1Char('\r')) {
            ++m_pos;
        } else {
            break;
        }
    }
    m_recordLine = m_line;
    QString field;
    bool quoted = false;
    bool wasQuoted = false;
    qsizetype recordChars = 0;
    for (;;) {
        // Append runs of ordinary characters whole; the per-character steps below see only the ones that matter
        // (0.5 s less CPU on a million-row export). The run stops at the record limit, so the
        // limit check below still fires at the same character.
        if (m_pos < m_buffer.size()) {
            const QChar *data = m_buffer.constData();
            const qsizetype stop =
                std::min(m_buffer.size(), m_pos + std::max<qsizetype>(kMaxRecordChars - recordChars, 0));
            qsizetype end = m_pos;
            if (quoted) {
                while (end < stop && data[end] != QLatin1Char('"') && data[end] != QLatin1Char('\n'))
                    ++end;
            } else {
                while (end < stop && data[end] != m_delimiter && data[end] != QLatin1Char('\n') &&
                       data[end] != QLatin1Char('\r') && data[end] != QLatin1Char('"'))
                    ++end;
            }
            if (end > m_pos) {
                field.append(data + m_pos, end - m_pos);
                recordChars += end - m_pos;
                m_pos = end;
            }
        }
        if (++recordChars > kMaxRecordChars) {
            m_error = QCoreApplication::translate("ecotone::CsvReader",
                                                  "%1, line %2: a record longer than %3 characters; the file is "
                                                  "probably not CSV, or a quote is never closed.")
                          .arg(m_source)
                          .arg(m_recordLine)
                          .arg(kMaxRecordChars);
            return false;
        }
        if (m_pos >= m_buffer.size() && !fill()) {
            if (!m_error.isEmpty())
                return false;
            if (quoted) {
                m_error =
                    QCoreApplication::translate("ecotone::CsvReader", "%1, line %2: a quoted field is never closed.")
                        .arg(m_source)
                        .arg(m_recordLine);
                return false;
            }
            fields << field;
            return true;
        }
        const QChar c = m_buffer.at(m_pos++);
        if (quoted) {
            if (c == QLatin1Char('"')) {
                if (m_pos >= m_buffer.size())
                    fill();
                if (m_pos < m_buffer.size() && m_buffer.at(m_pos) == QLatin1Char('"')) {
                    field += QLatin1Char('"');
                    ++m_pos;
                } else {
                    quoted = false;
                }
            } else {
                if (c == QLatin1Char('\n'))
                    ++m_line;
                field += c;
            }
        } else if (c == m_delimiter) {
            fields << field;
            field.clear();
            wasQuoted = false;
        } else if (c == QLatin1Char('\n')) {
            ++m_line;
            fields << field;
            return true;
        } else if (c == QLatin1Char('\r')) {
            // CR before LF ends the line with the LF; a lone CR is kept out of the data.
        } else if (c == QLatin1Char('"') && field.isEmpty() && !wasQuoted) {
            quoted = true;
            wasQuoted = true;
        } else {
            field += c;
        }
    }
}

CsvWriter::CsvWriter(QIODevice *device, QChar delimiter)
    : m_device(device)
    , m_delimiter(delimiter)
{}

namespace {

bool startsFormula(const QString &cell)
{
    static const QString starts = QStringLiteral("=+-@\t\r");
    return !cell.isEmpty() && starts.contains(cell.front());
}

bool isPlainNumber(const QString &cell)
{
    static const QRegularExpression number(QStringLiteral("^[+-]?[0-9]+([.][0-9]+)?$"));
    return number.match(cell).hasMatch();
}

// Whether the cell is apostrophes followed by a formula character: unguard() takes one apostrophe off those.
bool apostrophesBeforeFormula(const QString &cell)
{
    qsizetype k = 0;
    while (k < cell.size() && cell.at(k) == QLatin1Char('\''))
        ++k;
    return k > 0 && startsFormula(cell.mid(k, 1));
}

} // namespace

QString CsvWriter::guard(const QString &cell)
{
    // A cell that already looks guarded gets one more apostrophe, so unguard() gives back exactly what was written.
    // A lone "-" (how many exports show an empty cell) or a plain number is no formula.
    if ((startsFormula(cell) && cell.size() > 1 && !isPlainNumber(cell)) || apostrophesBeforeFormula(cell))
        return QLatin1Char('\'') + cell;
    return cell;
}

QString CsvWriter::unguard(const QString &cell)
{
    return apostrophesBeforeFormula(cell) ? cell.mid(1) : cell;
}

QString CsvWriter::line(const QStringList &fields, QChar delimiter)
{
    QString line;
    for (qsizetype i = 0; i < fields.size(); ++i) {
        if (i)
            line += delimiter;
        const QString f = guard(fields.at(i));
        if (f.contains(delimiter) || f.contains(QLatin1Char('"')) || f.contains(QLatin1Char('\n')) ||
            f.contains(QLatin1Char('\r')) || f.startsWith(QLatin1Char(' ')) || f.endsWith(QLatin1Char(' '))) {
            QString escaped = f;
            escaped.replace(QLatin1Char('"'), QStringLiteral("\"\""));
            line += QLatin1Char('"') + escaped + QLatin1Char('"');
        } else {
            line += f;
        }
    }
    line += QStringLiteral("\r\n");
    return line;
}

bool CsvWriter::writeRow(const QStringList &fields)
{
    const QByteArray bytes = line(fields, m_delimiter).toUtf8();
    return m_device->write(bytes) == bytes.size();
}

} // namespace ecotone
