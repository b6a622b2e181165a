#pragma once

#include "domain/Result.h"

#include <QStringDecoder>
#include <QStringList>

class QIODevice;

namespace ecotone {

// Streaming RFC 4180 reader: quoted fields with embedded delimiters, quotes and newlines; CRLF or LF; the
// delimiter sniffed from the first line (, ; tab |); UTF-8 with or without BOM, UTF-16 LE/BE with BOM, and
// Windows-1252 for files that are not UTF-8 and carry no BOM.
// Reads the device in chunks, so the file never sits in memory whole.
class CsvReader
{
public:
    CsvReader(QIODevice *device, QString sourceName);

    // Reads the next record into fields. Returns false at the end of input or on an error (see error()).
    bool next(QStringList &fields);
    bool atError() const { return !m_error.isEmpty(); }
    bool isWindows1252() const { return m_windows1252; } // the file was read as Windows-1252
    // "UTF-8", "UTF-8 with BOM", "UTF-16 LE", "UTF-16 BE" or "Windows-1252": how the text read so far was decoded.
    QString encoding() const;
    const QString &error() const { return m_error; }
    qint64 recordLine() const { return m_recordLine; } // 1-based line where the last record started
    QChar delimiter() const { return m_delimiter; }
    qint64 bytesRead() const { return m_bytesRead; }

private:
    bool fill();
    void sniff();

    QIODevice *m_device;
    QString m_source;
    QString m_buffer;
    qsizetype m_pos = 0;
    QStringDecoder m_decoder;
    bool m_started = false;
    bool m_bomSeen = false;
    const char *m_encoding = "UTF-8";
    bool m_utf8Confirmed = false; // a non-ASCII UTF-8 character has been read: no Windows-1252 fallback
    bool m_windows1252 = false;
    bool m_eof = false;
    QChar m_delimiter = QLatin1Char(',');
    qint64 m_line = 1;
    qint64 m_recordLine = 0;
    qint64 m_bytesRead = 0;
    QString m_error;
};

// Every CSV Ecotone writes goes through here. Cells a spreadsheet would run as a formula (starting with = + - @
// TAB or CR) get a leading apostrophe, unless they are plain numbers; importers of our own files undo it with
// unguard(), so a value round-trips.
class CsvWriter
{
public:
    explicit CsvWriter(QIODevice *device, QChar delimiter = QLatin1Char(','));
    bool writeRow(const QStringList &fields); // CRLF line ends, quoting only where needed

    // One record as text, CRLF included, for writers that collect the file first.
    static QString line(const QStringList &fields, QChar delimiter = QLatin1Char(','));
    static QString guard(const QString &cell);
    static QString unguard(const QString &cell);

private:
    QIODevice *m_device;
    QChar m_delimiter;
};

} // namespace ecotone
