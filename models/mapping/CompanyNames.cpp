#include "CompanyNames.h"

#include <QHash>
#include <QList>
#include <QVarLengthArray>

#include <algorithm>

namespace ecotone::companynames {

namespace {

// Legal-form words and abbreviations after folding (dots and apostrophes already joined: "S.p.A." is "spa").
// Only ever removed at the end of a name. Multi-word forms are listed as phrases so that each of their words
// need not be a legal form on its own ("kabushiki kaisha", "public limited company").
const QList<QLatin1String> &legalWords()
{
    static const QList<QLatin1String> words = {
        // US, UK, AU, generic English
        QLatin1String("inc"),
        QLatin1String("incorporated"),
        QLatin1String("llc"),
        QLatin1String("llp"),
        QLatin1String("lp"),
        QLatin1String("pllc"),
        QLatin1String("corp"),
        QLatin1String("corporation"),
        QLatin1String("co"),
        QLatin1String("company"),
        QLatin1String("ltd"),
        QLatin1String("limited"),
        QLatin1String("plc"),
        QLatin1String("pty"),
        QLatin1String("pte"),
        QLatin1String("pvt"),
        QLatin1String("bhd"),
        QLatin1String("sdn"),
        // DE, AT, CH
        QLatin1String("gmbh"),
        QLatin1String("mbh"),
        QLatin1String("ag"),
        QLatin1String("kg"),
        QLatin1String("kgaa"),
        QLatin1String("ohg"),
        QLatin1String("ug"),
        QLatin1String("gbr"),
        QLatin1String("ev"),
        QLatin1String("aktiengesellschaft"),
        // EU, FR, BE, LU
        QLatin1String("se"),
        QLatin1String("sa"),
        QLatin1String("sas"),
        QLatin1String("sasu"),
        QLatin1String("sarl"),
        QLatin1String("eurl"),
        QLatin1String("sca"),
        QLatin1String("snc"),
        QLatin1String("sprl"),
        QLatin1String("bvba"),
        // NL
        QLatin1String("bv"),
        QLatin1String("nv"),
        QLatin1String("vof"),
        QLatin1String("cv"),
        // IT
        QLatin1String("spa"),
        QLatin1String("srl"),
        QLatin1String("srls"),
        QLatin1String("sapa"),
        // ES, PT, BR, LatAm
        QLatin1String("sl"),
        QLatin1String("slu"),
        QLatin1String("sau"),
        QLatin1String("ltda"),
        QLatin1String("lda"),
        QLatin1String("eireli"),
        QLatin1String("sacv"),
        QLatin1String("sab"),
        // Nordics
        QLatin1String("ab"),
        QLatin1String("publ"),
        QLatin1String("aktiebolag"),
        QLatin1String("oy"),
        QLatin1String("oyj"),
        QLatin1String("as"),
        QLatin1String("asa"),
        QLatin1String("aps"),
        QLatin1String("hf"),
        QLatin1String("ehf"),
        // JP
        QLatin1String("kk"),
        QLatin1String("gk"),
        QLatin1String("yk"),
        // Central and Eastern Europe
        QLatin1String("sro"),
        QLatin1String("doo"),
        QLatin1String("zrt"),
        QLatin1String("nyrt"),
        QLatin1String("kft"),
        QLatin1String("spzoo"),
        QLatin1String("ooo"),
        QLatin1String("zao"),
        QLatin1String("oao"),
        QLatin1String("pjsc"),
    };
    return words;
}

const QList<QStringList> &legalPhrases()
{
    static const QList<QStringList> phrases = [] {
        QList<QStringList> list;
        for (const char *phrase : {"kabushiki kaisha",
                                   "kabushiki gaisha",
                                   "godo kaisha",
                                   "yugen kaisha",
                                   "limited liability company",
                                   "limited liability partnership",
                                   "public limited company",
                                   "proprietary limited",
                                   "societe anonyme",
                                   "societe a responsabilite limitee",
                                   "societe par actions simplifiee",
                                   "gesellschaft mit beschrankter haftung",
                                   "besloten vennootschap",
                                   "naamloze vennootschap",
                                   "societa per azioni",
                                   "societa a responsabilita limitata",
                                   "sociedad anonima",
                                   "sociedad limitada",
                                   "sociedade anonima",
                                   "sociedade limitada",
                                   "s a",
                                   "s l",
                                   "s a s",
                                   "b v",
                                   "n v",
                                   "k k",
                                   "a g",
                                   "a s",
                                   "s p a",
                                   "s r l",
                                   "l l c",
                                   "s a r l",
                                   "sp z o o",
                                   "s de rl de cv",
                                   "s a de c v",
                                   "sa de cv",
                                   "co kg",
                                   "gmbh co kg"}) {
            list << QString::fromLatin1(phrase).split(QLatin1Char(' '));
        }
        // Longest first, so "gmbh co kg" wins over "co kg".
        std::stable_sort(list.begin(), list.end(),
                         [](const QStringList &a, const QStringList &b) { return a.size() > b.size(); });
        return list;
    }();
    return phrases;
}

bool isLegalWord(QStringView word)
{
    const auto &words = legalWords();
    return std::any_of(words.begin(), words.end(), [&](QLatin1String w) { return word == w; });
}

bool isMark(QChar c)
{
    const auto cat = c.category();
    return cat == QChar::Mark_NonSpacing || cat == QChar::Mark_SpacingCombining || cat == QChar::Mark_Enclosing;
}

// Letters that NFKD does not decompose into a base letter and a mark.
const char *specialFolding(char16_t c)
{
    switch (c) {
    case u'ß':
    case u'ẞ':
        return "ss";
    case u'æ':
    case u'Æ':
        return "ae";
    case u'œ':
    case u'Œ':
        return "oe";
    case u'ø':
    case u'Ø':
        return "o";
    case u'đ':
    case u'Đ':
    case u'ð':
    case u'Ð':
        return "d";
    case u'ł':
    case u'Ł':
        return "l";
    case u'þ':
    case u'Þ':
        return "th";
    case u'ı':
        return "i";
    default:
        return nullptr;
    }
}

bool isJoiner(char16_t c)
{
    return c == u'.' || c == u'\'' || c == u'\u2019' || c == u'\u00B4' || c == u'`';
}

// Japanese legal forms written in kanji, before (株式会社トヨタ) or after (トヨタ株式会社) the name.
void stripKanjiForms(QString &s)
{
    static const QStringList forms = {QStringLiteral("株式会社"), QStringLiteral("有限会社"),
                                      QStringLiteral("合同会社"), QStringLiteral("(株)"), QStringLiteral("(有)")};
    for (const QString &f : forms) {
        if (s.size() > f.size() && s.endsWith(f))
            s.chop(f.size());
        else if (s.size() > f.size() && s.startsWith(f))
            s.remove(0, f.size());
    }
}

} // namespace

QString normalize(const QString &name)
{
    QString source = name;
    bool ascii = true;
    for (QChar c : name) {
        if (c.unicode() >= 0x80) {
            ascii = false;
            break;
        }
    }
    if (!ascii) {
        source = name.normalized(QString::NormalizationForm_KD);
        stripKanjiForms(source);
    }

    // One pass: fold, break into words separated by single spaces, remember where each word starts. Written into
    // a preallocated buffer (a letter folds to at most 3 units: "ß" -> "ss", NFKD already split the rest).
    const qsizetype n = source.size();
    QString out(n * 3 + 4, Qt::Uninitialized);
    char16_t *o = reinterpret_cast<char16_t *>(out.data());
    qsizetype size = 0;
    QVarLengthArray<qsizetype, 16> starts;
    bool inWord = false;
    auto startWord = [&] {
        if (!inWord) {
            if (size > 0)
                o[size++] = u' ';
            starts.append(size);
            inWord = true;
        }
    };
    auto put = [&](const char *latin1) {
        while (*latin1)
            o[size++] = char16_t(*latin1++);
    };
    const QChar *d = source.constData();
    for (qsizetype i = 0; i < n; ++i) {
        const char16_t c = d[i].unicode();
        if (c < 0x80) {
            if ((c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9')) {
                startWord();
                o[size++] = c;
            } else if (c >= u'A' && c <= u'Z') {
                startWord();
                o[size++] = char16_t(c + 32);
            } else if (c == u'&' || c == u'+') {
                inWord = false;
                startWord();
                put("and");
                inWord = false;
            } else if (isJoiner(c) && inWord) {
                // joins: "L.L.C." -> "llc", "O'Brien" -> "obrien"
            } else if (c == u'/' && inWord && size - starts.back() == 1 && i + 1 < n && d[i + 1].isLetter() &&
                       (i + 2 == n || !d[i + 2].isLetterOrNumber())) {
                // "A/S" -> "as"
            } else {
                inWord = false;
            }
            continue;
        }
        const QChar ch(c);
        if (isMark(ch))
            continue;
        if (ch.isLetterOrNumber()) {
            startWord();
            if (const char *special = specialFolding(c))
                put(special);
            else
                o[size++] = ch.toCaseFolded().unicode();
        } else if (isJoiner(c) && inWord) {
        } else {
            inWord = false;
        }
    }
    out.truncate(size);

    qsizetype first = 0;
    qsizetype count = starts.size();
    auto word = [&](qsizetype index) {
        const qsizetype from = starts[index];
        const qsizetype to = index + 1 < starts.size() ? starts[index + 1] - 1 : out.size();
        return QStringView(out).mid(from, to - from);
    };
    if (count > 1 && word(0) == QLatin1String("the"))
        first = 1;

    // Legal forms at the end, repeatedly ("Co., Ltd.", "GmbH & Co. KG"), never the last remaining word.
    bool stripped = false;
    for (bool again = true; again;) {
        again = false;
        const qsizetype remaining = count - first;
        for (const QStringList &phrase : legalPhrases()) {
            const qsizetype k = phrase.size();
            if (k >= remaining)
                continue;
            bool same = true;
            for (qsizetype j = 0; j < k && same; ++j)
                same = word(count - k + j) == phrase.at(j);
            if (same) {
                count -= k;
                again = stripped = true;
                break;
            }
        }
        if (!again && count - first > 1) {
            const QStringView last = word(count - 1);
            if (isLegalWord(last) || (stripped && last == QLatin1String("and"))) {
                --count;
                again = stripped = true;
            }
        }
    }

    if (count == 0)
        return {};
    const qsizetype from = starts[first];
    const qsizetype to = count < starts.size() ? starts[count] - 1 : out.size();
    if (from == 0 && to == out.size())
        return out;
    return out.mid(from, to - from);
}

QStringList tokens(const QString &normalized)
{
    return normalized.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QString countryKey(const QString &country)
{
    static const QHash<QString, QString> aliases = [] {
        QHash<QString, QString> h;
        auto add = [&h](const char *code, std::initializer_list<const char *> names) {
            const QString c = QString::fromLatin1(code);
            h.insert(c, c);
            for (const char *n : names)
                h.insert(QString::fromUtf8(n), c);
        };
        add("us", {"usa", "u.s.", "u.s.a.", "united states", "united states of america", "america"});
        add("gb", {"uk", "u.k.", "united kingdom", "great britain", "england", "scotland", "wales", "britain"});
        add("de", {"deu", "germany", "deutschland"});
        add("fr", {"fra", "france"});
        add("nl", {"nld", "netherlands", "the netherlands", "holland", "nederland"});
        add("it", {"ita", "italy", "italia"});
        add("es", {"esp", "spain", "espana", "españa"});
        add("se", {"swe", "sweden", "sverige"});
        add("jp", {"jpn", "japan", "nippon", "日本"});
        add("au", {"aus", "australia"});
        add("br", {"bra", "brazil", "brasil"});
        add("ca", {"can", "canada"});
        add("ch", {"che", "switzerland", "schweiz", "suisse"});
        add("at", {"aut", "austria", "osterreich", "österreich"});
        add("be", {"bel", "belgium", "belgique", "belgie"});
        add("dk", {"dnk", "denmark", "danmark"});
        add("no", {"nor", "norway", "norge"});
        add("fi", {"fin", "finland", "suomi"});
        add("ie", {"irl", "ireland"});
        add("in", {"ind", "india"});
        add("cn", {"chn", "china"});
        add("mx", {"mex", "mexico", "méxico"});
        add("pt", {"prt", "portugal"});
        add("pl", {"pol", "poland", "polska"});
        add("sg", {"sgp", "singapore"});
        add("nz", {"nzl", "new zealand"});
        return h;
    }();
    const QString folded = country.trimmed().toCaseFolded();
    if (folded.isEmpty())
        return {};
    const auto it = aliases.constFind(folded);
    return it == aliases.constEnd() ? folded : it.value();
}

double jaroWinkler(QStringView a, QStringView b)
{
    const qsizetype la = a.size(), lb = b.size();
    if (la == 0 && lb == 0)
        return 1.0;
    if (la == 0 || lb == 0)
        return 0.0;
    const qsizetype window = std::max<qsizetype>(0, std::max(la, lb) / 2 - 1);
    QVarLengthArray<bool, 128> matchedA(la), matchedB(lb);
    std::fill(matchedA.begin(), matchedA.end(), false);
    std::fill(matchedB.begin(), matchedB.end(), false);
    qsizetype matches = 0;
    for (qsizetype i = 0; i < la; ++i) {
        const qsizetype from = std::max<qsizetype>(0, i - window);
        const qsizetype to = std::min(lb, i + window + 1);
        for (qsizetype j = from; j < to; ++j) {
            if (!matchedB[j] && a[i] == b[j]) {
                matchedA[i] = matchedB[j] = true;
                ++matches;
                break;
            }
        }
    }
    if (matches == 0)
        return 0.0;
    qsizetype transpositions = 0;
    for (qsizetype i = 0, j = 0; i < la; ++i) {
        if (!matchedA[i])
            continue;
        while (!matchedB[j])
            ++j;
        if (a[i] != b[j])
            ++transpositions;
        ++j;
    }
    const double m = double(matches);
    const double jaro = (m / double(la) + m / double(lb) + (m - double(transpositions) / 2.0) / m) / 3.0;
    qsizetype prefix = 0;
    while (prefix < 4 && prefix < la && prefix < lb && a[prefix] == b[prefix])
        ++prefix;
    return jaro + double(prefix) * 0.1 * (1.0 - jaro);
}

} // namespace ecotone::companynames
