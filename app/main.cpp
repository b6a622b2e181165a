#include "Cli.h"
#include "MainWindow.h"
#include "common/Theme.h"
#include "common/Translations.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QFileInfo>
#include <QGuiApplication>
#include <QLocale>
#include <QMessageBox>
#include <QSettings>
#include <QTimer>

#ifdef Q_OS_WIN
#include <windows.h>

#include <cstdio>
#endif

namespace {
void setIdentity()
{
    QCoreApplication::setOrganizationName(QStringLiteral("Ecotone"));
    QCoreApplication::setOrganizationDomain(QStringLiteral("ecotone.io"));
    QCoreApplication::setApplicationName(QStringLiteral("Ecotone"));
    QCoreApplication::setApplicationVersion(QStringLiteral(ECOTONE_VERSION));
}

int runGui(int argc, char **argv)
{
    QApplication app(argc, argv);
    setIdentity();
    ecotone::ui::installTranslators(app);
    QGuiApplication::setDesktopFileName(QStringLiteral("ecotone"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Ecotone partner ecosystem manager"));
    const QCommandLineOption workspace(QStringLiteral("workspace"), QStringLiteral("Open this workspace file."),
                                       QStringLiteral("FILE"));
    parser.addOption(workspace);
    parser.addPositionalArgument(QStringLiteral("file"), QStringLiteral("Workspace file to open."),
                                 QStringLiteral("[FILE]"));
    parser.process(app);

    ecotone::ui::theme::apply(QSettings().value(QStringLiteral("theme"), QStringLiteral("system")).toString());
    ecotone::ui::MainWindow window;
    window.show();

    QString path = parser.value(workspace);
    if (path.isEmpty() && !parser.positionalArguments().isEmpty())
        path = parser.positionalArguments().constFirst();
    const bool explicitPath = !path.isEmpty();
    if (!explicitPath) {
        // Reopen what was open last time; on a first start the welcome page offers the demo.
        const QString last = QSettings().value(QStringLiteral("lastWorkspace")).toString();
        if (!last.isEmpty() && QFileInfo::exists(last))
            path = last;
    }
    if (!path.isEmpty()) {
        if (ecotone::Status s = window.openWorkspace(path); !s && explicitPath)
            QTimer::singleShot(0, &window, [&window, s] {
                QMessageBox::warning(&window, QCoreApplication::translate("main", "Cannot Open Workspace"), s.error());
            });
    }
    return app.exec();
}
} // namespace

int main(int argc, char **argv)
{
    QStringList arguments;
    for (int i = 0; i < argc; ++i)
        arguments << QString::fromLocal8Bit(argv[i]);
    if (ecotone::cli::isHeadless(arguments)) {
#ifdef Q_OS_WIN
        // The executable is a GUI program on Windows; print to the console it was started from, if any.
        if (AttachConsole(ATTACH_PARENT_PROCESS)) {
            std::freopen("CONOUT$", "w", stdout);
            std::freopen("CONOUT$", "w", stderr);
        }
#endif
        // Reports draw text (PDF, PNG, SVG): that needs fonts, so a GUI application on the offscreen platform
        // unless another is asked for. Every other command stays a plain core application.
        if (arguments.value(1) == QLatin1String("report")) {
            if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
                qputenv("QT_QPA_PLATFORM", "offscreen");
            QGuiApplication app(argc, argv);
            setIdentity();
            ecotone::ui::installTranslators(app);
            return ecotone::cli::run(QCoreApplication::arguments());
        }
        QCoreApplication app(argc, argv);
        setIdentity();
        ecotone::ui::installTranslators(app);
        return ecotone::cli::run(QCoreApplication::arguments());
    }
    return runGui(argc, argv);
}
