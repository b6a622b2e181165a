// English plural forms: "%n room(s)" reads "1 room" / "2 rooms" once the app's translators are installed, and every
// plural the sources use has its English forms (so a new string cannot ship showing "(s)").
#include "common/Translations.h"

#include <QApplication>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QXmlStreamReader>

class TestTranslations : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void pluralsReadAsEnglish();
    void everyPluralHasEnglishForms();
};

void TestTranslations::initTestCase()
{
    QLocale::setDefault(QLocale(QLocale::French, QLocale::France)); // no French: English plurals are the fallback
    ecotone::ui::installTranslators(*qApp);
}

void TestTranslations::pluralsReadAsEnglish()
{
    const char *context = "ecotone::ui::DealRoomsPane";
    QCOMPARE(QCoreApplication::translate(context, "%n room(s)", nullptr, 1), QStringLiteral("1 room"));
    QCOMPARE(QCoreApplication::translate(context, "%n room(s)", nullptr, 0), QStringLiteral("0 rooms"));
    QCOMPARE(QCoreApplication::translate(context, "%n room(s)", nullptr, 12), QStringLiteral("12 rooms"));
    QCOMPARE(QCoreApplication::translate(context, "+%n other currency(s)", nullptr, 2),
             QStringLiteral("+2 other currencies"));
}

void TestTranslations::everyPluralHasEnglishForms()
{
    const QString root = QStringLiteral(QT_TESTCASE_SOURCEDIR "/..");
    QFile ts(root + QStringLiteral("/translations/ecotone_en.ts"));
    QVERIFY2(ts.open(QIODevice::ReadOnly), qPrintable(ts.fileName()));
    QSet<QString> translated;
    QXmlStreamReader xml(&ts);
    QString source;
    int forms = 0;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement() && xml.name() == QLatin1String("source")) {
            source = xml.readElementText();
            forms = 0;
        } else if (xml.isStartElement() && xml.name() == QLatin1String("numerusform")) {
            const QString form = xml.readElementText();
            QVERIFY2(!form.isEmpty() && !form.contains(QLatin1String("(s)")), qPrintable(source));
            if (++forms == 2)
                translated.insert(source);
        }
    }
    QVERIFY2(!xml.hasError(), qPrintable(xml.errorString()));
    QVERIFY(translated.size() > 10);

    // Every one-line string literal with %n and "(s)" in the sources.
    const QRegularExpression literal(
        QStringLiteral(R"re("((?:[^"\\\n]|\\.)*%n(?:[^"\\\n]|\\.)*\(s\)(?:[^"\\\n]|\\.)*)")re"));
    QStringList missing;
    for (const char *dir : {"models", "ui", "app"}) {
        QDirIterator it(root + QLatin1Char('/') + QLatin1String(dir), {QStringLiteral("*.cpp")}, QDir::Files,
                        QDirIterator::Subdirectories);
        while (it.hasNext()) {
            QFile file(it.next());
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QString text = QString::fromUtf8(file.readAll());
            for (const auto &m : literal.globalMatch(text)) {
                QString s = m.captured(1);
                s.replace(QLatin1String("\\\""), QLatin1String("\""))
                    .replace(QLatin1String("\\n"), QLatin1String("\n"));
                // A literal split over lines ("…" "…") is one piece of its message.
                const bool found = std::any_of(translated.cbegin(), translated.cend(),
                                               [&](const QString &t) { return t.contains(s); });
                if (!found)
                    missing << QStringLiteral("%1: %2").arg(file.fileName().mid(root.size() + 1), s);
            }
        }
    }
    QVERIFY2(missing.isEmpty(),
             qPrintable(QStringLiteral("run scripts/update-translations.sh; no English forms for:\n") +
                        missing.join(QLatin1Char('\n'))));
}

QTEST_MAIN(TestTranslations)
#include "TestTranslations.moc"
