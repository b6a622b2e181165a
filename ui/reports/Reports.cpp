#include "Reports.h"

#include "attribution/AttributionModels.h"
#include "attribution/AttributionPaths.h"
#include "attribution/WorkspaceTouchpoints.h"
#include "insights/PartnerNetwork.h"
#include "mapping/CrmOpportunities.h"
#include "mapping/Csv.h"
#include "pipeline/PipelineInsights.h"
#include "store/Workspace.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>
#include <QSvgGenerator>

#include <algorithm>
#include <cmath>
#include <numeric>

namespace ecotone::ui::reports {

namespace {
struct Tr
{
    Q_DECLARE_TR_FUNCTIONS(ecotone::ui::Reports)
};

const QLocale kNumbers(QLocale::English, QLocale::UnitedStates); // reports read the same on every machine

QString period(const QDate &from, const QDate &to)
{
    const auto day = [](const QDate &d) { return kNumbers.toString(d, QStringLiteral("d MMM yyyy")); };
    if (from.isValid() && to.isValid())
        return Tr::tr("%1 – %2").arg(day(from), day(to));
    if (from.isValid())
        return Tr::tr("from %1").arg(day(from));
    if (to.isValid())
        return Tr::tr("until %1").arg(day(to));
    return Tr::tr("all time");
}

double major(qint64 minor, const QString &currency)
{
    return double(minor) / std::pow(10.0, crmopportunities::currencyDigits(currency));
}

QString money(qint64 minor, const QString &currency)
{
    const int digits = crmopportunities::currencyDigits(currency);
    return kNumbers.toString(major(minor, currency), 'f', digits);
}

QString percent(double fraction)
{
    return kNumbers.toString(fraction * 100.0, 'f', 1) + QLatin1Char('%');
}

QString number(double value, int decimals)
{
    return kNumbers.toString(value, 'f', decimals);
}

QJsonArray toJson(const QStringList &list)
{
    return QJsonArray::fromStringList(list);
}

// --- pipeline -------------------------------------------------------------------------------------------------

Result<Report> pipelineReport(Workspace &workspace, const QDate &from, const QDate &to)
{
    pipeline::PipelineQuery query;
    query.from = from;
    query.to = to;
    // Months read well up to about a year; beyond that quarters keep the chart legible.
    query.bucket =
        from.isValid() && to.isValid() && from.daysTo(to) <= 400 ? pipeline::Bucket::Month : pipeline::Bucket::Quarter;
    auto read = pipeline::readPipelineInsights(workspace, query);
    if (!read)
        return Error{read.error()};
    const pipeline::PipelineInsights &p = read.value();
    const QString cur = p.currency;
    Report r;
    r.kind = QStringLiteral("pipeline");
    r.title = Tr::tr("Ecosystem pipeline and revenue");
    r.subtitle = Tr::tr("%1 · %2 · amounts in %3")
                     .arg(workspace.displayName(), period(from, to), cur.isEmpty() ? Tr::tr("no currency") : cur);
    using pipeline::Influenced;
    using pipeline::Sourced;
    using pipeline::Untouched;
    r.summary << Tr::tr("Pipeline (open rooms): %1 sourced by partners, %2 influenced, %3 with no partner.")
                     .arg(money(p.pipeline[Sourced].minor, cur), money(p.pipeline[Influenced].minor, cur),
                          money(p.pipeline[Untouched].minor, cur))
              << Tr::tr("Revenue (won rooms): %1 sourced by partners, %2 influenced, %3 with no partner.")
                     .arg(money(p.revenue[Sourced].minor, cur), money(p.revenue[Influenced].minor, cur),
                          money(p.revenue[Untouched].minor, cur))
              << Tr::tr("Partner-to-partner revenue (won rooms with two or more partners): %1 in %2 rooms.")
                     .arg(money(p.partnerToPartner.minor, cur), kNumbers.toString(p.partnerToPartner.rooms))
              << Tr::tr("With partners: win rate %1, %2 days to close, average deal %3. Without: win rate %4, %5 days, "
                        "average deal %6.")
                     .arg(percent(p.withPartners.winRate()), number(p.withPartners.averageDaysToClose(), 0),
                          money(qint64(p.withPartners.averageDealMinor()), cur), percent(p.withoutPartners.winRate()),
                          number(p.withoutPartners.averageDaysToClose(), 0),
                          money(qint64(p.withoutPartners.averageDealMinor()), cur));
    if (p.currencies.size() > 1)
        r.summary << Tr::tr("Rooms in other currencies are left out: amounts are never converted.");

    for (const bool revenue : {false, true}) {
        Chart c;
        c.title = revenue ? Tr::tr("Revenue over time by partner type") : Tr::tr("Pipeline over time by partner type");
        c.unit = cur;
        c.stacked = true;
        c.seriesNames = p.seriesTypeNames;
        c.values.resize(p.seriesTypes.size());
        for (const pipeline::SeriesBucket &b : p.series) {
            c.categories << pipeline::bucketLabel(b.start, query.bucket);
            const QList<qint64> &amounts = revenue ? b.revenueMinor : b.pipelineMinor;
            for (qsizetype t = 0; t < c.values.size(); ++t)
                c.values[t] << major(t < amounts.size() ? amounts.at(t) : 0, cur);
        }
        r.charts << c;
    }

    auto table = [&](const QString &title, const QList<pipeline::GroupRow> &rows, bool withType) {
        Table t;
        t.title = title;
        t.header << (withType ? Tr::tr("Partner") : Tr::tr("Partner type"));
        if (withType)
            t.header << Tr::tr("Type");
        t.header << Tr::tr("Pipeline") << Tr::tr("Revenue") << Tr::tr("Sourced revenue") << Tr::tr("Influenced revenue")
                 << Tr::tr("Won") << Tr::tr("Lost") << Tr::tr("Win rate") << Tr::tr("Days to close")
                 << Tr::tr("Partner-to-partner");
        for (qsizetype i = 0; i < t.header.size(); ++i)
            t.numeric << (i >= (withType ? 2 : 1));
        for (const pipeline::GroupRow &g : rows) {
            QStringList row{g.name};
            if (withType)
                row << (g.id.isEmpty() ? QString() : pipeline::typeName(g.type));
            row << money(g.pipelineTotal().minor, cur) << money(g.revenueTotal().minor, cur)
                << money(g.revenue[Sourced].minor, cur) << money(g.revenue[Influenced].minor, cur)
                << kNumbers.toString(g.performance.won) << kNumbers.toString(g.performance.lost)
                << percent(g.performance.winRate()) << number(g.performance.averageDaysToClose(), 0)
                << money(g.partnerToPartner.minor, cur);
            t.rows << row;
        }
        return t;
    };
    r.tables << table(Tr::tr("By partner"), p.partners, true)
             << table(Tr::tr("By partner type"), p.partnerTypes, false);

    auto amounts = [&](const std::array<pipeline::Amount, pipeline::TouchCount> &a) {
        return QJsonObject{{QStringLiteral("sourced"), major(a[Sourced].minor, cur)},
                           {QStringLiteral("influenced"), major(a[Influenced].minor, cur)},
                           {QStringLiteral("untouched"), major(a[Untouched].minor, cur)}};
    };
    QJsonArray partners;
    for (const pipeline::GroupRow &g : p.partners)
        partners.append(QJsonObject{{QStringLiteral("id"), g.id},
                                    {QStringLiteral("name"), g.name},
                                    {QStringLiteral("type"), g.type},
                                    {QStringLiteral("pipeline"), amounts(g.pipeline)},
                                    {QStringLiteral("revenue"), amounts(g.revenue)},
                                    {QStringLiteral("won"), g.performance.won},
                                    {QStringLiteral("lost"), g.performance.lost},
                                    {QStringLiteral("partnerToPartner"), major(g.partnerToPartner.minor, cur)}});
    r.data = QJsonObject{{QStringLiteral("currency"), cur},
                         {QStringLiteral("pipeline"), amounts(p.pipeline)},
                         {QStringLiteral("revenue"), amounts(p.revenue)},
                         {QStringLiteral("partnerToPartner"), major(p.partnerToPartner.minor, cur)},
                         {QStringLiteral("partnerToPartnerRooms"), p.partnerToPartner.rooms},
                         {QStringLiteral("partners"), partners}};
    return r;
}

// --- attribution ----------------------------------------------------------------------------------------------

Result<Report> attributionReport(Workspace &workspace, const QDate &from, const QDate &to)
{
    attribution::WorkspaceJourneyOptions options;
    options.from = from;
    options.to = to;
    auto journeys = attribution::readWorkspaceJourneys(workspace, options);
    if (!journeys)
        return Error{journeys.error()};
    const attribution::PathSet &paths = journeys.value();
    Report r;
    r.kind = QStringLiteral("attribution");
    r.title = Tr::tr("Partner attribution, every model");
    r.subtitle = Tr::tr("%1 · deals closed %2").arg(workspace.displayName(), period(from, to));
    r.summary << Tr::tr("%1 journeys from deal rooms, registrations and referrals: %2 conversions worth %3 (won "
                        "amounts in their own currencies, not converted), %4 without a conversion.")
                     .arg(kNumbers.toString(qint64(paths.journeys().size())), number(paths.totalConversions(), 0),
                          number(paths.totalValue(), 2), number(paths.totalNulls(), 0))
              << Tr::tr("Every model shares out the same conversions, so each model's column adds up to the total. "
                        "Each is a convention, not causal truth: read them side by side.");

    QStringList models;
    QList<attribution::AttributionResult> results;
    QJsonObject byModel;
    for (const QString &model : attribution::modelNames()) {
        auto result = attribution::attribute(paths, model);
        if (!result) {
            r.summary << Tr::tr("%1: not computed (%2)").arg(model, result.error());
            continue;
        }
        models << model;
        QJsonObject credits;
        for (qsizetype i = 0; i < result->partners.size(); ++i)
            credits.insert(result->partners.at(i),
                           QJsonObject{{QStringLiteral("conversions"), result->credits[size_t(i)].conversions},
                                       {QStringLiteral("value"), result->credits[size_t(i)].value}});
        QJsonObject opts;
        for (auto it = result->options.cbegin(); it != result->options.cend(); ++it)
            opts.insert(it.key(), it.value());
        byModel.insert(model, QJsonObject{{QStringLiteral("options"), opts}, {QStringLiteral("credits"), credits}});
        results << std::move(result.value());
    }
    // Partners by their mean credit over the models, most first.
    const QStringList &partners = paths.partners();
    std::vector<double> mean(size_t(partners.size()), 0.0);
    for (const auto &res : results)
        for (size_t i = 0; i < res.credits.size() && i < mean.size(); ++i)
            mean[i] += res.credits[i].conversions / double(results.size());
    std::vector<int> order(mean.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return mean[size_t(a)] > mean[size_t(b)]; });

    for (const bool value : {false, true}) {
        Table t;
        t.title = value ? Tr::tr("Value credited per partner") : Tr::tr("Conversions credited per partner");
        t.header << Tr::tr("Partner") << models;
        t.numeric << false;
        for (qsizetype m = 0; m < models.size(); ++m)
            t.numeric << true;
        for (int i : order) {
            QStringList row{partners.at(i)};
            for (const auto &res : results)
                row << number(value ? res.credits[size_t(i)].value : res.credits[size_t(i)].conversions, 2);
            t.rows << row;
        }
        QStringList total{Tr::tr("Total")};
        for (const auto &res : results)
            total << number(std::accumulate(res.credits.cbegin(), res.credits.cend(), 0.0,
                                            [&](double s, const attribution::Credit &c) {
                                                return s + (value ? c.value : c.conversions);
                                            }),
                            2);
        t.rows << total;
        r.tables << t;
    }

    Chart c;
    c.title = Tr::tr("The same journeys under every model: the partners with the most credit");
    c.unit = Tr::tr("conversions");
    c.seriesNames = models;
    c.values.resize(models.size());
    for (size_t k = 0; k < order.size() && k < 8; ++k) {
        c.categories << partners.at(order[k]);
        for (qsizetype m = 0; m < results.size(); ++m)
            c.values[m] << results.at(m).credits[size_t(order[k])].conversions;
    }
    r.charts << c;
    r.data = QJsonObject{{QStringLiteral("journeys"), qint64(paths.journeys().size())},
                         {QStringLiteral("conversions"), paths.totalConversions()},
                         {QStringLiteral("value"), paths.totalValue()},
                         {QStringLiteral("models"), byModel}};
    return r;
}

// --- network --------------------------------------------------------------------------------------------------

Result<Report> networkReport(Workspace &workspace, const QDate &from, const QDate &to)
{
    auto read = insights::readPartnerNetwork(workspace);
    if (!read)
        return Error{read.error()};
    const insights::PartnerNetwork &net = read.value();
    const insights::NetworkMeasures m = insights::measure(net.graph);
    Report r;
    r.kind = QStringLiteral("network");
    r.title = Tr::tr("Partner network");
    r.subtitle = Tr::tr("%1 · every link in the workspace").arg(workspace.displayName());
    r.summary << Tr::tr("%1 partners; links: %2 shared deal rooms, %3 referrals, %4 integrations.")
                     .arg(kNumbers.toString(net.graph.nodeCount()), kNumbers.toString(net.sharedRoomLinks),
                          kNumbers.toString(net.referralLinks), kNumbers.toString(net.integrationLinks))
              << Tr::tr("Betweenness (normalized as networkx does) is the share of shortest paths between other "
                        "partners that run through a partner: the brokers of the network.");
    if (from.isValid() || to.isValid())
        r.summary << Tr::tr("The network is not cut to a period (%1 was asked): links have no single date.")
                         .arg(period(from, to));
    std::vector<int> order(size_t(net.graph.nodeCount()));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](int a, int b) { return m.betweenness[size_t(a)] > m.betweenness[size_t(b)]; });
    Table t;
    t.title = Tr::tr("Partners by betweenness");
    t.header << Tr::tr("Partner") << Tr::tr("Degree") << Tr::tr("Weighted degree") << Tr::tr("Betweenness")
             << Tr::tr("Multi-partner revenue");
    t.numeric << false << true << true << true << true;
    QJsonArray nodes;
    for (int v : order) {
        const size_t i = size_t(v);
        t.rows << QStringList{net.names.at(v), kNumbers.toString(m.degree[i]), number(m.weightedDegree[i], 0),
                              number(m.betweenness[i], 4), number(net.multiPartnerRevenue[i], 2)};
        nodes.append(QJsonObject{{QStringLiteral("id"), net.ids.at(v)},
                                 {QStringLiteral("name"), net.names.at(v)},
                                 {QStringLiteral("degree"), m.degree[i]},
                                 {QStringLiteral("weightedDegree"), m.weightedDegree[i]},
                                 {QStringLiteral("betweenness"), m.betweenness[i]},
                                 {QStringLiteral("multiPartnerRevenue"), net.multiPartnerRevenue[i]}});
    }
    r.tables << t;
    Chart c;
    c.title = Tr::tr("The partners most between others");
    c.unit = Tr::tr("betweenness");
    c.seriesNames << Tr::tr("Betweenness");
    c.values.resize(1);
    for (size_t k = 0; k < order.size() && k < 12; ++k) {
        c.categories << net.names.at(order[k]);
        c.values[0] << m.betweenness[size_t(order[k])];
    }
    r.charts << c;
    r.data = QJsonObject{{QStringLiteral("nodes"), nodes},
                         {QStringLiteral("edges"), qint64(net.graph.edgeCount())},
                         {QStringLiteral("sharedRoomLinks"), net.sharedRoomLinks},
                         {QStringLiteral("referralLinks"), net.referralLinks},
                         {QStringLiteral("integrationLinks"), net.integrationLinks}};
    return r;
}

// --- writing --------------------------------------------------------------------------------------------------

const QColor kSeriesColors[] = {QColor(0x0f, 0x76, 0x6e), QColor(0x25, 0x63, 0xeb), QColor(0xd9, 0x77, 0x06),
                                QColor(0x9b, 0x2c, 0x8f), QColor(0x16, 0xa3, 0x4a), QColor(0xdc, 0x26, 0x26),
                                QColor(0x64, 0x74, 0x8b), QColor(0x0e, 0xa5, 0xe9), QColor(0xa1, 0x62, 0x07),
                                QColor(0x4f, 0x46, 0xe5)};

double niceStep(double range)
{
    if (range <= 0)
        return 1;
    const double rough = range / 5;
    const double power = std::pow(10.0, std::floor(std::log10(rough)));
    for (double f : {1.0, 2.0, 2.5, 5.0, 10.0})
        if (f * power >= rough)
            return f * power;
    return 10 * power;
}

QString axisLabel(double v)
{
    const double a = std::abs(v);
    if (a >= 1e9)
        return number(v / 1e9, a >= 1e10 ? 0 : 1) + QLatin1Char('B');
    if (a >= 1e6)
        return number(v / 1e6, a >= 1e7 ? 0 : 1) + QLatin1Char('M');
    if (a >= 1e4)
        return number(v / 1e3, 0) + QLatin1Char('k');
    return number(v, a > 0 && a < 10 && v != std::round(v) ? 2 : 0);
}

Status commit(QSaveFile &file)
{
    if (!file.commit())
        return Error{Tr::tr("Cannot write %1: %2").arg(file.fileName(), file.errorString())};
    return {};
}

// A chart image on its own (PNG, SVG) carries its title; in the PDF the title is a heading.
void paintTitledChart(QPainter &painter, const QSize &size, const Chart &chart)
{
    QFont font(QStringLiteral("DejaVu Sans"), 11);
    font.setBold(true);
    painter.setFont(font);
    painter.setPen(QColor(0x1f, 0x23, 0x28));
    const double titleHeight = QFontMetricsF(font, painter.device()).height();
    painter.drawText(QRectF(16, 12, size.width() - 32, titleHeight), Qt::AlignLeft | Qt::AlignVCenter, chart.title);
    paintChart(painter, QRectF(16, 20 + titleHeight, size.width() - 32, size.height() - 36 - titleHeight), chart);
}

QFont tableFont()
{
    return QFont(QStringLiteral("DejaVu Sans"), 8);
}

QList<double> naturalWidths(const Table &table, const QFontMetricsF &fm, const QFontMetricsF &fmBold, double page)
{
    QList<double> widths;
    for (qsizetype c = 0; c < table.header.size(); ++c) {
        double w = fmBold.horizontalAdvance(table.header.at(c));
        for (const QStringList &row : table.rows)
            w = std::max(w, fm.horizontalAdvance(row.value(c)));
        widths << std::min(w + 10, page * 0.4);
    }
    return widths;
}

// Lays out and (when painter is set) paints the PDF; returns the number of pages.
int renderPdf(const Report &report, QPdfWriter &writer, QPainter *painter, int totalPages)
{
    const double width = writer.width();
    const double height = writer.height();
    const double top = 28, bottom = height - 24;
    QFont body(QStringLiteral("DejaVu Sans"), 9);
    QFont cellFont = tableFont();
    QFont cellsBold = cellFont;
    cellsBold.setBold(true);
    QFont small = body;
    small.setPointSizeF(7.5);
    QFont heading = body;
    heading.setPointSizeF(12);
    heading.setBold(true);
    QFont title = body;
    title.setPointSizeF(18);
    title.setBold(true);
    QFont bold = body;
    bold.setBold(true);
    const QColor grey(0x6b, 0x72, 0x80);
    int page = 1;
    double y = top;

    auto decorate = [&] {
        if (!painter)
            return;
        painter->setFont(small);
        painter->setPen(grey);
        painter->drawText(QRectF(0, 0, width, 14), Qt::AlignLeft | Qt::AlignVCenter,
                          report.title + QStringLiteral(" · ") + report.subtitle);
        painter->drawLine(QPointF(0, 16), QPointF(width, 16));
        painter->drawLine(QPointF(0, height - 16), QPointF(width, height - 16));
        painter->drawText(
            QRectF(0, height - 14, width, 14), Qt::AlignLeft | Qt::AlignVCenter,
            Tr::tr("Ecotone · generated %1")
                .arg(kNumbers.toString(QDateTime::currentDateTime(), QStringLiteral("d MMM yyyy HH:mm"))));
        painter->drawText(QRectF(0, height - 14, width, 14), Qt::AlignRight | Qt::AlignVCenter,
                          Tr::tr("Page %1 of %2").arg(page).arg(totalPages));
        painter->setPen(Qt::black);
    };
    auto newPage = [&] {
        if (painter)
            writer.newPage();
        ++page;
        y = top;
        decorate();
    };
    auto ensure = [&](double needed) {
        if (y + needed > bottom && y > top)
            newPage();
    };
    auto text = [&](const QFont &font, const QString &s, const QColor &color = Qt::black, double after = 4) {
        const QFontMetricsF fm(font, &writer);
        const QRectF box = fm.boundingRect(QRectF(0, 0, width, 1e6), Qt::TextWordWrap, s);
        ensure(box.height());
        if (painter) {
            painter->setFont(font);
            painter->setPen(color);
            painter->drawText(QRectF(0, y, width, box.height() + 2), Qt::TextWordWrap, s);
            painter->setPen(Qt::black);
        }
        y += box.height() + after;
    };

    decorate();
    text(title, report.title, Qt::black, 2);
    text(body, report.subtitle, grey, 12);
    for (const QString &line : report.summary)
        text(body, line);
    y += 8;
    for (const Chart &chart : report.charts) {
        ensure(250);
        text(heading, chart.title, Qt::black, 4);
        if (painter)
            paintChart(*painter, QRectF(0, y, width, 220), chart);
        y += 232;
    }
    for (const Table &table : report.tables) {
        const QFontMetricsF fm(cellFont, &writer);
        const QFontMetricsF fmBold(cellsBold, &writer);
        const double rowHeight = fm.height() + 5;
        // Column widths from the widest text (header in bold), scaled down to the page when they do not fit.
        QList<double> widths = naturalWidths(table, fm, fmBold, width);
        const double sum = std::accumulate(widths.cbegin(), widths.cend(), 0.0);
        for (double &w : widths)
            w *= sum > width ? width / sum : 1.0;
        auto row = [&](const QStringList &cells, bool header, bool shaded) {
            if (painter) {
                if (shaded)
                    painter->fillRect(QRectF(0, y, width, rowHeight), QColor(0xf3, 0xf4, 0xf6));
                painter->setFont(header ? cellsBold : cellFont);
                double x = 0;
                for (qsizetype c = 0; c < widths.size(); ++c) {
                    const QRectF cell(x + 4, y, widths.at(c) - 8, rowHeight);
                    const Qt::Alignment align =
                        (table.numeric.value(c) ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignVCenter;
                    painter->drawText(cell, align,
                                      (header ? fmBold : fm).elidedText(cells.value(c), Qt::ElideRight, cell.width()));
                    x += widths.at(c);
                }
                if (header)
                    painter->drawLine(QPointF(0, y + rowHeight), QPointF(width, y + rowHeight));
            }
            y += rowHeight;
        };
        ensure(rowHeight * 4 + 24);
        y += 6;
        text(heading, table.title, Qt::black, 4);
        row(table.header, true, false);
        for (qsizetype i = 0; i < table.rows.size(); ++i) {
            if (y + rowHeight > bottom) {
                newPage();
                row(table.header, true, false); // the header again on every page of the table
            }
            row(table.rows.at(i), false, i % 2 == 1);
        }
        y += 10;
    }
    return page;
}
} // namespace

QStringList kinds()
{
    return {QStringLiteral("attribution"), QStringLiteral("pipeline"), QStringLiteral("network")};
}

Result<Report> build(Workspace &workspace, const QString &kind, const QDate &from, const QDate &to)
{
    if (kind == QLatin1String("pipeline"))
        return pipelineReport(workspace, from, to);
    if (kind == QLatin1String("attribution"))
        return attributionReport(workspace, from, to);
    if (kind == QLatin1String("network"))
        return networkReport(workspace, from, to);
    return Error{
        Tr::tr("There is no \"%1\" report; the reports are %2.").arg(kind, kinds().join(QStringLiteral(", ")))};
}

void paintChart(QPainter &painter, const QRectF &rect, const Chart &chart)
{
    painter.save();
    painter.setRenderHint(QPainter::Antialiasing);
    QFont font(QStringLiteral("DejaVu Sans"), 7.5);
    painter.setFont(font);
    const QFontMetricsF fm(font, painter.device());
    const QColor axis(0x9c, 0xa3, 0xaf), label(0x37, 0x41, 0x51);

    // Legend on top, wrapping as needed.
    double lx = rect.left(), ly = rect.top();
    for (qsizetype s = 0; s < chart.seriesNames.size(); ++s) {
        const double w = 14 + fm.horizontalAdvance(chart.seriesNames.at(s)) + 12;
        if (lx + w > rect.right() && lx > rect.left()) {
            lx = rect.left();
            ly += fm.height() + 3;
        }
        painter.fillRect(QRectF(lx, ly + fm.height() / 2 - 4, 9, 9), kSeriesColors[s % 10]);
        painter.setPen(label);
        painter.drawText(QPointF(lx + 13, ly + fm.ascent()), chart.seriesNames.at(s));
        lx += w;
    }
    // The unit sits on its own line above the value axis, clear of the legend and the top tick label.
    const double legendBottom = (chart.seriesNames.isEmpty() ? rect.top() : ly + fm.height() + 6) +
                                (chart.unit.isEmpty() ? fm.height() / 2 : fm.height() + 6);

    double lo = 0, hi = 0;
    for (qsizetype c = 0; c < chart.categories.size(); ++c) {
        double pos = 0, neg = 0;
        for (const QList<double> &series : chart.values) {
            const double v = series.value(c);
            if (chart.stacked) {
                (v >= 0 ? pos : neg) += v;
            } else {
                hi = std::max(hi, v);
                lo = std::min(lo, v);
            }
        }
        hi = std::max(hi, pos);
        lo = std::min(lo, neg);
    }
    const double step = niceStep(hi - lo);
    hi = hi > 0 ? std::ceil(hi / step) * step : step;
    lo = lo < 0 ? std::floor(lo / step) * step : 0;

    double labelWidth = 0;
    for (double v = lo; v <= hi + step / 2; v += step)
        labelWidth = std::max(labelWidth, fm.horizontalAdvance(axisLabel(v)));
    // Category labels: level when they fit, slanted when they do not.
    const qsizetype n = std::max<qsizetype>(chart.categories.size(), 1);
    const double plotLeft = rect.left() + labelWidth + 8;
    const double slot = (rect.right() - plotLeft) / double(n);
    double widest = 0;
    for (const QString &c : chart.categories)
        widest = std::max(widest, fm.horizontalAdvance(c));
    const bool slanted = widest > slot - 4;
    const double maxLabel = 110;
    const double labelSpace = slanted ? std::min(widest, maxLabel) * 0.72 + fm.height() : fm.height() + 4;
    const QRectF plot(plotLeft, legendBottom, rect.right() - plotLeft, rect.bottom() - labelSpace - legendBottom);
    auto yOf = [&](double v) { return plot.bottom() - (v - lo) / (hi - lo) * plot.height(); };

    for (double v = lo; v <= hi + step / 2; v += step) {
        const double yy = yOf(v);
        painter.setPen(QPen(v == 0 ? axis : axis.lighter(125), v == 0 ? 1.0 : 0.5));
        painter.drawLine(QPointF(plot.left(), yy), QPointF(plot.right(), yy));
        painter.setPen(label);
        painter.drawText(QRectF(rect.left(), yy - fm.height() / 2, labelWidth, fm.height()),
                         Qt::AlignRight | Qt::AlignVCenter, axisLabel(v));
    }
    if (!chart.unit.isEmpty()) {
        painter.setPen(label);
        painter.drawText(QRectF(rect.left(), plot.top() - fm.height() * 1.5 - 4, plot.width(), fm.height()),
                         Qt::AlignLeft | Qt::AlignVCenter, chart.unit);
    }

    const qsizetype seriesCount = std::max<qsizetype>(chart.values.size(), 1);
    for (qsizetype c = 0; c < chart.categories.size(); ++c) {
        const double x0 = plot.left() + slot * double(c) + slot * 0.15;
        const double barArea = slot * 0.7;
        double pos = 0, neg = 0;
        for (qsizetype s = 0; s < chart.values.size(); ++s) {
            const double v = chart.values.at(s).value(c);
            QRectF bar;
            if (chart.stacked) {
                const double base = v >= 0 ? pos : neg;
                bar = QRectF(QPointF(x0, yOf(base + v)), QPointF(x0 + barArea, yOf(base))).normalized();
                (v >= 0 ? pos : neg) += v;
            } else {
                const double w = barArea / double(seriesCount);
                bar = QRectF(QPointF(x0 + w * double(s), yOf(v)), QPointF(x0 + w * double(s + 1) - 0.5, yOf(0)))
                          .normalized();
            }
            painter.fillRect(bar, kSeriesColors[s % 10]);
        }
        painter.setPen(label);
        const QString text = fm.elidedText(chart.categories.at(c), Qt::ElideRight, slanted ? maxLabel : slot - 2);
        if (slanted) {
            painter.save();
            painter.translate(plot.left() + slot * (double(c) + 0.5), plot.bottom() + 4);
            painter.rotate(-40);
            painter.drawText(QPointF(-fm.horizontalAdvance(text), fm.ascent()), text);
            painter.restore();
        } else {
            painter.drawText(QRectF(plot.left() + slot * double(c), plot.bottom() + 3, slot, fm.height()),
                             Qt::AlignHCenter | Qt::AlignTop, text);
        }
    }
    if (chart.categories.isEmpty()) {
        painter.setPen(label);
        painter.drawText(plot, Qt::AlignCenter, Tr::tr("No data in this period"));
    }
    painter.restore();
}

Status write(const Report &report, const QString &path)
{
    const QString ext = QFileInfo(path).suffix().toLower();
    QSaveFile file(path);
    auto open = [&]() -> Status {
        if (!file.open(QIODevice::WriteOnly))
            return Error{Tr::tr("Cannot write %1: %2").arg(path, file.errorString())};
        return {};
    };
    if (ext == QLatin1String("json")) {
        QJsonArray tables;
        for (const Table &t : report.tables) {
            QJsonArray rows;
            for (const QStringList &row : t.rows)
                rows.append(toJson(row));
            tables.append(QJsonObject{{QStringLiteral("title"), t.title},
                                      {QStringLiteral("header"), toJson(t.header)},
                                      {QStringLiteral("rows"), rows}});
        }
        const QJsonObject json{
            {QStringLiteral("kind"), report.kind},         {QStringLiteral("title"), report.title},
            {QStringLiteral("subtitle"), report.subtitle}, {QStringLiteral("summary"), toJson(report.summary)},
            {QStringLiteral("data"), report.data},         {QStringLiteral("tables"), tables}};
        if (Status s = open(); !s)
            return s;
        file.write(QJsonDocument(json).toJson(QJsonDocument::Indented));
        return commit(file);
    }
    if (ext == QLatin1String("csv")) {
        if (report.tables.isEmpty())
            return Error{Tr::tr("The %1 report has no table to write as CSV.").arg(report.kind)};
        const Table &t = report.tables.first();
        QString text;
        text += CsvWriter::line(t.header);
        for (const QStringList &row : t.rows)
            text += CsvWriter::line(row);
        if (Status s = open(); !s)
            return s;
        file.write(text.toUtf8());
        return commit(file);
    }
    if (ext == QLatin1String("png") || ext == QLatin1String("svg")) {
        if (report.charts.isEmpty())
            return Error{Tr::tr("The %1 report has no chart.").arg(report.kind)};
        const QSize size(1000, 560);
        if (Status s = open(); !s)
            return s;
        if (ext == QLatin1String("png")) {
            QImage image(size * 2, QImage::Format_ARGB32);
            image.setDevicePixelRatio(2);
            image.fill(Qt::white);
            QPainter painter(&image);
            paintTitledChart(painter, size, report.charts.first());
            painter.end();
            if (!image.save(&file, "PNG"))
                return Error{Tr::tr("Cannot write %1 as PNG.").arg(path)};
        } else {
            QSvgGenerator svg;
            svg.setOutputDevice(&file);
            svg.setSize(size);
            svg.setViewBox(QRect(QPoint(0, 0), size));
            svg.setTitle(report.charts.first().title);
            QPainter painter(&svg);
            painter.fillRect(QRect(QPoint(0, 0), size), Qt::white);
            paintTitledChart(painter, size, report.charts.first());
            painter.end();
        }
        return commit(file);
    }
    if (ext == QLatin1String("pdf")) {
        if (Status s = open(); !s)
            return s;
        QPdfWriter writer(&file);
        writer.setPageSize(QPageSize(QPageSize::A4));
        writer.setPageMargins(QMarginsF(15, 15, 15, 15), QPageLayout::Millimeter);
        writer.setResolution(72); // one unit is one point
        // Wide tables (eleven columns of money) read better across a landscape page than squeezed.
        QFont bold = tableFont();
        bold.setBold(true);
        const QFontMetricsF fm(tableFont(), &writer), fmBold(bold, &writer);
        for (const Table &t : report.tables) {
            const QList<double> widths = naturalWidths(t, fm, fmBold, 1e9);
            if (std::accumulate(widths.cbegin(), widths.cend(), 0.0) > writer.width()) {
                writer.setPageOrientation(QPageLayout::Landscape);
                break;
            }
        }
        writer.setTitle(report.title);
        writer.setCreator(QStringLiteral("Ecotone"));
        const int pages = renderPdf(report, writer, nullptr, 0);
        QPainter painter;
        if (!painter.begin(&writer))
            return Error{Tr::tr("Cannot write %1 as PDF.").arg(path)};
        renderPdf(report, writer, &painter, pages);
        painter.end();
        return commit(file);
    }
    return Error{Tr::tr("%1: a report is written as .pdf, .csv, .json, .png or .svg, not \".%2\".").arg(path, ext)};
}

} // namespace ecotone::ui::reports
