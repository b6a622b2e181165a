// The listing editor on a real workspace: a new integration published with its markets and linked listing, the
// publishing rule and logo checks refusing without writing, an edit that unpublishes, and the pane's entry points
// (New Listing…, Edit Listing… only on the acting organization's own listings). Screenshot of the editor.
#include "../marketplace/MarketplaceFixtures.h"
#include "common/Theme.h"
#include "common/Translations.h"
#include "marketplace/ListingEditorDialog.h"
#include "marketplace/MarketplacePages.h"
#include "marketplace/MarketplacePane.h"

#include <QApplication>
#include <QBuffer>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSqlQuery>
#include <QTest>

using namespace ecotone;
using namespace ecotone::ui;

namespace {
void check(QListWidget *list, const QString &text)
{
    for (int i = 0; i < list->count(); ++i)
        if (list->item(i)->text() == text)
            list->item(i)->setCheckState(Qt::Checked);
}

QByteArray png(int side)
{
    QImage image(side, side, QImage::Format_ARGB32);
    image.fill(QColor(0x0f, 0x76, 0x6e));
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}
} // namespace

class TestListingEditor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void createsAndPublishesAnIntegration();
    void refusesWithoutWriting();
    void editUnpublishes();
    void paneEntryPoints();

private:
    test::TempDir m_dir;
    std::unique_ptr<Workspace> m_ws;
    QString m_partner, m_other, m_otherListing, m_created;
};

void TestListingEditor::initTestCase()
{
    theme::apply(QStringLiteral("light"));
    installTranslators(*qApp);
    m_ws = test::marketplaceWorkspace(m_dir.file(QStringLiteral("editor.ecotone")));
    QVERIFY(m_ws);
    test::addVendor(*m_ws);
    m_partner = test::addPartner(*m_ws, QStringLiteral("Northwind Resale"), {PartnerType::Reseller});
    m_other = test::addPartner(*m_ws, QStringLiteral("Datafab Tech"), {PartnerType::Technology});
    Listing lake = test::makeListing(m_other, QStringLiteral("Lakehouse Platform"));
    QVERIFY(ListingRepository(*m_ws).create(lake));
    m_otherListing = lake.id;
}

void TestListingEditor::createsAndPublishesAnIntegration()
{
    Listing fresh;
    fresh.organizationId = m_partner;
    ListingEditorDialog dialog(*m_ws, fresh);
    dialog.kindBox()->setCurrentIndex(dialog.kindBox()->findData(QStringLiteral("integration")));
    dialog.titleField()->setText(QStringLiteral("Xylo Connector for Lakehouse"));
    dialog.summaryField()->setText(QStringLiteral("Streams orders into the lakehouse."));
    dialog.descriptionField()->setPlainText(QStringLiteral("**Fast.**\n\n- hourly\n- exact"));
    const QList<QLineEdit *> edits = dialog.findChildren<QLineEdit *>();
    for (QLineEdit *e : edits)
        if (e->placeholderText().startsWith(QLatin1String("Comma-separated, e.g. ")) &&
            !e->placeholderText().contains(QLatin1String("ISO")))
            e->setText(QStringLiteral("Data & Analytics, Integration"));
    check(dialog.regionsList(), QStringLiteral("DACH"));
    check(dialog.industriesList(), QStringLiteral("Retail"));
    for (QCheckBox *b : dialog.findChildren<QCheckBox *>())
        if (b->text() == QLatin1String("AWS Marketplace"))
            b->setChecked(true);
    QCOMPARE(dialog.setLogo(png(64)), QString());
    dialog.addLinked(m_otherListing, QStringLiteral("Lakehouse Platform (Datafab Tech)"));
    dialog.publishedBox()->setChecked(true);

    const QString shots = QDir(test::outputDir()).filePath(QStringLiteral("screenshots"));
    QDir().mkpath(shots);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    QVERIFY(dialog.grab().save(QDir(shots).filePath(QStringLiteral("marketplace-listing-editor.png"))));

    const qint64 journal = test::rowCount(*m_ws, QStringLiteral("journal"));
    QCOMPARE(dialog.save(), QString());
    QCOMPARE(dialog.result(), int(QDialog::Accepted));
    m_created = dialog.saved().id;
    auto stored = ListingRepository(*m_ws).find(m_created);
    QVERIFY2(stored, qPrintable(stored.error()));
    QCOMPARE(stored->kind, ListingKind::Integration);
    QCOMPARE(stored->state, ListingState::Published);
    QCOMPARE(stored->organizationId, m_partner);
    QCOMPARE(stored->categories, (QStringList{QStringLiteral("Data & Analytics"), QStringLiteral("Integration")}));
    QCOMPARE(stored->regions, QStringList{QStringLiteral("DACH")});
    QCOMPARE(stored->industries, QStringList{QStringLiteral("Retail")});
    QCOMPARE(stored->clouds, QStringList{QStringLiteral("aws")});
    QCOMPARE(stored->integratesWith, QStringList{m_otherListing});
    QVERIFY(!stored->logo.isEmpty());
    QVERIFY(test::rowCount(*m_ws, QStringLiteral("journal")) > journal); // every write journaled
}

void TestListingEditor::refusesWithoutWriting()
{
    const qint64 listings = test::rowCount(*m_ws, QStringLiteral("listings"));
    const qint64 journal = test::rowCount(*m_ws, QStringLiteral("journal"));
    Listing fresh;
    fresh.organizationId = m_partner;
    ListingEditorDialog dialog(*m_ws, fresh);
    dialog.titleField()->setText(QStringLiteral("Bare Title"));
    dialog.publishedBox()->setChecked(true);
    QVERIFY(dialog.save().contains(QLatin1String("needs a summary")));
    QVERIFY(dialog.problemLabel()->text().contains(QLatin1String("needs a summary")));
    QVERIFY(dialog.result() != int(QDialog::Accepted));
    QVERIFY(dialog.setLogo(QByteArray(300 * 1024, 'x')).contains(QLatin1String("larger than")));
    QVERIFY(dialog.setLogo(QByteArray("GIF89a not really")).contains(QLatin1String("PNG, JPEG or SVG")));
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("listings")), listings);
    QCOMPARE(test::rowCount(*m_ws, QStringLiteral("journal")), journal);
    // As a draft the same listing is fine.
    dialog.publishedBox()->setChecked(false);
    QCOMPARE(dialog.save(), QString());
    QCOMPARE(ListingRepository(*m_ws).find(dialog.saved().id)->state, ListingState::Draft);
}

void TestListingEditor::editUnpublishes()
{
    auto stored = ListingRepository(*m_ws).find(m_created);
    QVERIFY(stored);
    ListingEditorDialog dialog(*m_ws, stored.value());
    QCOMPARE(dialog.windowTitle(), QStringLiteral("Edit Listing"));
    QCOMPARE(dialog.titleField()->text(), QStringLiteral("Xylo Connector for Lakehouse"));
    QVERIFY(dialog.publishedBox()->isChecked());
    dialog.titleField()->setText(QStringLiteral("Xylo Lakehouse Connector"));
    dialog.publishedBox()->setChecked(false);
    QCOMPARE(dialog.save(), QString());
    auto after = ListingRepository(*m_ws).find(m_created);
    QCOMPARE(after->title, QStringLiteral("Xylo Lakehouse Connector"));
    QCOMPARE(after->state, ListingState::Draft);
    QCOMPARE(after->integratesWith, QStringList{m_otherListing}); // untouched fields stay
    QCOMPARE(after->logo, stored->logo);
}

void TestListingEditor::paneEntryPoints()
{
    MarketplacePane pane(*m_ws);
    pane.resize(1200, 800);
    pane.show();
    QVERIFY(QTest::qWaitForWindowExposed(&pane));
    QVERIFY(pane.findChild<QPushButton *>(QStringLiteral("newListing")));
    QVERIFY(pane.setActingOrganization(m_other));
    QCOMPARE(pane.openListing(m_otherListing), QString());
    QVERIFY(pane.detailPage()->editButton()->isVisible()); // its own listing
    QVERIFY(pane.setActingOrganization(m_partner));
    QCOMPARE(pane.openListing(m_otherListing), QString());
    QVERIFY(!pane.detailPage()->editButton()->isVisible()); // someone else's
}

QTEST_MAIN(TestListingEditor)
#include "TestListingEditor.moc"
