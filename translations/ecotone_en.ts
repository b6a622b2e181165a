<?xml version='1.0' encoding='utf-8'?>
<TS version="2.1" language="en_US">
<context>
    <name>ecotone::DealRoomRepository</name>
    <message numerus="yes">
        <source>A new order must list all %n stage(s).</source>
        <translation><numerusform>A new order must list all %n stage.</numerusform><numerusform>A new order must list all %n stages.</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::Import</name>
    <message numerus="yes">
        <source>%1 was not imported; nothing was changed. %n problem(s):</source>
        <translation><numerusform>%1 was not imported; nothing was changed. %n problem:</numerusform><numerusform>%1 was not imported; nothing was changed. %n problems:</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::Repositories</name>
    <message numerus="yes">
        <source>%1 cannot be deleted: it takes part in %n shared record(s) — deal rooms, registrations, referrals, sharing agreements or listings. Set its status to Inactive instead.</source>
        <translation><numerusform>%1 cannot be deleted: it takes part in %n shared record — deal rooms, registrations, referrals, sharing agreements or listings. Set its status to Inactive instead.</numerusform><numerusform>%1 cannot be deleted: it takes part in %n shared records — deal rooms, registrations, referrals, sharing agreements or listings. Set its status to Inactive instead.</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::cli</name>
    <message numerus="yes">
        <source>%n entries, chain intact
</source>
        <translation><numerusform>%n entry, chain intact
</numerusform><numerusform>%n entries, chain intact
</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::cli::Marketplace</name>
    <message numerus="yes">
        <source>%n listing(s)
</source>
        <translation><numerusform>%n listing
</numerusform><numerusform>%n listings
</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::ui::BoardColumnModel</name>
    <message numerus="yes">
        <source>(%n overdue task(s))</source>
        <translation><numerusform>(%n overdue task)</numerusform><numerusform>(%n overdue tasks)</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::ui::DealRoomsPane</name>
    <message numerus="yes">
        <source>Open rooms without activity for %n day(s)</source>
        <translation><numerusform>Open rooms without activity for %n day</numerusform><numerusform>Open rooms without activity for %n days</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n room(s)</source>
        <translation><numerusform>%n room</numerusform><numerusform>%n rooms</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>+%n other currency(s)</source>
        <translation><numerusform>+%n other currency</numerusform><numerusform>+%n other currencies</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%1: %n room(s), %2</source>
        <translation><numerusform>%1: %n room, %2</numerusform><numerusform>%1: %n rooms, %2</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Move %n room(s) to %1</source>
        <translation><numerusform>Move %n room to %1</numerusform><numerusform>Move %n rooms to %1</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::ui::DealTableModel</name>
    <message numerus="yes">
        <source>%1: no activity for %n day(s) or more</source>
        <translation><numerusform>%1: no activity for %n day or more</numerusform><numerusform>%1: no activity for %n days or more</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::ui::InsightsPane</name>
    <message numerus="yes">
        <source>%1 (%n room(s))</source>
        <translation><numerusform>%1 (%n room)</numerusform><numerusform>%1 (%n rooms)</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>pipeline · %n open room(s)</source>
        <translation><numerusform>pipeline · %n open room</numerusform><numerusform>pipeline · %n open rooms</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>revenue · %n won</source>
        <translation><numerusform>revenue · %n won</numerusform><numerusform>revenue · %n won</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>win rate · %n closed</source>
        <translation><numerusform>win rate · %n closed</numerusform><numerusform>win rate · %n closed</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n won room(s)</source>
        <translation><numerusform>%n won room</numerusform><numerusform>%n won rooms</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%1 · %n room(s) in %2: open ones by the day they were created, won and lost ones by their close date.</source>
        <translation><numerusform>%1 · %n room in %2: open ones by the day they were created, won and lost ones by their close date.</numerusform><numerusform>%1 · %n rooms in %2: open ones by the day they were created, won and lost ones by their close date.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n room(s) in other currencies are left out (pick one above).</source>
        <translation><numerusform>%n room in other currencies are left out (pick one above).</numerusform><numerusform>%n rooms in other currencies are left out (pick one above).</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n journey(s) from deal rooms, registrations and referrals closed in the period: %1 conversions, %2 without. Every model shares out the same conversions, so each column adds up to %1. Value adds won amounts in each room's own currency (not converted).</source>
        <translation><numerusform>%n journey from deal rooms, registrations and referrals closed in the period: %1 conversions, %2 without. Every model shares out the same conversions, so each column adds up to %1. Value adds won amounts in each room's own currency (not converted).</numerusform><numerusform>%n journeys from deal rooms, registrations and referrals closed in the period: %1 conversions, %2 without. Every model shares out the same conversions, so each column adds up to %1. Value adds won amounts in each room's own currency (not converted).</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>The same journeys under every model: the %n partner(s) with the most credit</source>
        <translation><numerusform>The same journeys under every model: the %n partner with the most credit</numerusform><numerusform>The same journeys under every model: the %n partners with the most credit</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n partner(s); links: %1 shared deal rooms, %2 referrals, %3 integrations. Node size: weighted degree; colour: betweenness (brokers are warmer). Wheel to zoom, drag to move, click a partner to open it.</source>
        <translation><numerusform>%n partner; links: %1 shared deal rooms, %2 referrals, %3 integrations. Node size: weighted degree; colour: betweenness (brokers are warmer). Wheel to zoom, drag to move, click a partner to open it.</numerusform><numerusform>%n partners; links: %1 shared deal rooms, %2 referrals, %3 integrations. Node size: weighted degree; colour: betweenness (brokers are warmer). Wheel to zoom, drag to move, click a partner to open it.</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::ui::ReferralsPage</name>
    <message numerus="yes">
        <source>%n referral(s)</source>
        <translation><numerusform>%n referral</numerusform><numerusform>%n referrals</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::ui::RegistrationsPage</name>
    <message numerus="yes">
        <source>&lt;b&gt;Protection ending within %n day(s)&lt;/b&gt;</source>
        <translation><numerusform>&lt;b&gt;Protection ending within %n day&lt;/b&gt;</numerusform><numerusform>&lt;b&gt;Protection ending within %n days&lt;/b&gt;</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Registrations expiring within %n day(s)</source>
        <translation><numerusform>Registrations expiring within %n day</numerusform><numerusform>Registrations expiring within %n days</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n registration(s)</source>
        <translation><numerusform>%n registration</numerusform><numerusform>%n registrations</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>No approved registration expires within %n day(s).</source>
        <translation><numerusform>No approved registration expires within %n day.</numerusform><numerusform>No approved registration expires within %n days.</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::ui::StageEditorDialog</name>
    <message numerus="yes">
        <source>“%1” holds %n deal room(s). Move them to:</source>
        <translation><numerusform>“%1” holds %n deal room. Move them to:</numerusform><numerusform>“%1” holds %n deal rooms. Move them to:</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::ui::SyncPane</name>
    <message numerus="yes">
        <source>%n change(s) received</source>
        <translation><numerusform>%n change received</numerusform><numerusform>%n changes received</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) sent</source>
        <translation><numerusform>%n change sent</numerusform><numerusform>%n changes sent</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n new conflict(s)</source>
        <translation><numerusform>%n new conflict</numerusform><numerusform>%n new conflicts</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) refused by the server</source>
        <translation><numerusform>%n change refused by the server</numerusform><numerusform>%n changes refused by the server</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n record(s) no longer shared with you</source>
        <translation><numerusform>%n record no longer shared with you</numerusform><numerusform>%n records no longer shared with you</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n conflict(s)</source>
        <translation><numerusform>%n conflict</numerusform><numerusform>%n conflicts</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Idle; the next automatic sync runs within %n minute(s).</source>
        <translation><numerusform>Idle; the next automatic sync runs within %n minute.</numerusform><numerusform>Idle; the next automatic sync runs within %n minutes.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n change(s) on this computer not sent yet.</source>
        <translation><numerusform>%n change on this computer not sent yet.</numerusform><numerusform>%n changes on this computer not sent yet.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Conflict inbox: %n conflict(s) to resolve</source>
        <translation><numerusform>Conflict inbox: %n conflict to resolve</numerusform><numerusform>Conflict inbox: %n conflicts to resolve</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln change(s) on this computer not sent yet.</source>
        <translation><numerusform>%Ln change on this computer not sent yet.</numerusform><numerusform>%Ln changes on this computer not sent yet.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln change(s) received</source>
        <translation><numerusform>%Ln change received</numerusform><numerusform>%Ln changes received</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln change(s) sent</source>
        <translation><numerusform>%Ln change sent</numerusform><numerusform>%Ln changes sent</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln change(s) refused by the server</source>
        <translation><numerusform>%Ln change refused by the server</numerusform><numerusform>%Ln changes refused by the server</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%Ln record(s) no longer shared with you</source>
        <translation><numerusform>%Ln record no longer shared with you</numerusform><numerusform>%Ln records no longer shared with you</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n row(s) from the server could not be stored in this workspace and were set aside; the rest of the sync went on. A later version of a row that fits replaces it here.</source>
        <translation><numerusform>%n row from the server could not be stored in this workspace and were set aside; the rest of the sync went on. A later version of a row that fits replaces it here.</numerusform><numerusform>%n rows from the server could not be stored in this workspace and were set aside; the rest of the sync went on. A later version of a row that fits replaces it here.</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>This workspace names %1 as its server and %2 as its user, but this computer has not synced this file as %2 before: it may be a copy, or come from someone else. Nothing is sent until you choose. %Ln change(s) would be sent under your account.</source>
        <translation><numerusform>This workspace names %1 as its server and %2 as its user, but this computer has not synced this file as %2 before: it may be a copy, or come from someone else. Nothing is sent until you choose. %Ln change would be sent under your account.</numerusform><numerusform>This workspace names %1 as its server and %2 as its user, but this computer has not synced this file as %2 before: it may be a copy, or come from someone else. Nothing is sent until you choose. %Ln changes would be sent under your account.</numerusform></translation>
    </message>
</context>
<context>
    <name>ecotone::ui::mapping::AccountMappingPane</name>
    <message numerus="yes">
        <source>Greenfield: %n companies</source>
        <translation><numerusform>Greenfield: %n company</numerusform><numerusform>Greenfield: %n companies</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n matched companies</source>
        <translation><numerusform>%n matched company</numerusform><numerusform>%n matched companies</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%n record pairs</source>
        <translation><numerusform>%n record pair</numerusform><numerusform>%n record pairs</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>%1 records in %n companies</source>
        <translation><numerusform>%1 records in %n company</numerusform><numerusform>%1 records in %n companies</numerusform></translation>
    </message>
    <message numerus="yes">
        <source>Exported %n rows to %1 (recorded in the consent ledger).</source>
        <translation><numerusform>Exported %n row to %1 (recorded in the consent ledger).</numerusform><numerusform>Exported %n rows to %1 (recorded in the consent ledger).</numerusform></translation>
    </message>
</context>
</TS>