#pragma once

#include "domain/Result.h"

#include <QDate>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

class QPainter;
class QRectF;

namespace ecotone {
class Workspace;
}

// Insights reports (docs/insights.md#reports): the same content as PDF (charts, tables, headers, footers, page
// numbers), CSV (the main table), JSON (typed data) and the first chart as PNG or SVG. Built from the workspace
// by the Insights pane and, headless, by `ecotone report`.
namespace ecotone::ui::reports {

struct Table
{
    QString title;
    QStringList header;
    QList<QStringList> rows;
    QList<bool> numeric; // per column: right-aligned
};

struct Chart
{
    QString title;
    QString unit; // shown on the value axis, e.g. "EUR" or "conversions"
    QStringList categories;
    QStringList seriesNames;
    QList<QList<double>> values; // [series][category]
    bool stacked = false;
};

struct Report
{
    QString kind; // attribution | pipeline | network
    QString title;
    QString subtitle; // workspace and period
    QStringList summary;
    QList<Chart> charts;
    QList<Table> tables; // the first is the main one (CSV)
    QJsonObject data;    // typed numbers for JSON consumers
};

QStringList kinds();

// Reads the workspace; from/to (both days included) may be invalid for an open end.
Result<Report> build(Workspace &workspace, const QString &kind, const QDate &from, const QDate &to);

// Writes by the file's extension: .pdf, .csv, .json, .png or .svg (the first chart). Needs a QGuiApplication for
// .pdf, .png and .svg (fonts). Written through QSaveFile where the format allows, so a failed write leaves no
// half-written file behind.
Status write(const Report &report, const QString &path);

// Bars (grouped or stacked) with a value axis, category labels and a legend, in rect.
void paintChart(QPainter &painter, const QRectF &rect, const Chart &chart);

} // namespace ecotone::ui::reports
