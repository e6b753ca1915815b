"""Demo data for purchasing goals: the partnership's goals with their version histories, criteria,
and implementation plans for the members in transition.

Everything is written through goals.services, so versions, history and plans look as they would
after years of real use. Idempotent: a goal whose number exists is skipped, and so is a plan that
exists, so running it again changes nothing.

Goal numbers, titles, product areas, ecolabels and dates follow goals/reference/goals_pogi.csv;
where the source gives no date (goals 1, 3, 7, 11 and the older versions of 5 and 9) the demo
uses a plausible one. The criteria are written for the demo in the spirit of each goal's summary.
Some goals have their English text too (ENGLISH), written through the same route as the secretariat's.
"""

from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from core.formats import date_text
from members.models import Organisation, User

from . import reference, services
from .models import Criterion, Ecolabel, Goal, GoalVersion, ImplementationPlan, ProductArea, SdgTarget

SECRETARIAT_EMAIL = "sekretariat@pogi.example"

# Ecolabel slugs (slugify of the English name in ecolabels.csv).
SWAN = "nordic-swan-ecolabel"
FLOWER = "eu-ecolabel"
FSC = "forest-stewardship-council"
PEFC = "programme-for-the-endorsement-of-forest-certification"
TCO = "tco-certified"
EPEAT = "epeat"
OEKO_TEX = "standard-100-by-oeko-tex"
ENERGY_LABEL = "eu-energy-label"

REQ = Criterion.Kind.REQUIREMENT
REC = Criterion.Kind.RECOMMENDATION
AWARD = Criterion.Kind.AWARD
CLAUSE = Criterion.Kind.CLAUSE
CORE = Criterion.Ambition.CORE
FULL = Criterion.Ambition.COMPREHENSIVE

S = GoalVersion.Status

DOC_SWAN_FLOWER = (
    "Produktet er mærket med Svanemærket eller EU-Blomsten, eller leverandøren fremlægger "
    "tilsvarende dokumentation, fx et teknisk dossier eller en testrapport fra et uafhængigt laboratorium."
)
DOC_SUPPLIER_TEST = "Erklæring fra producenten eller testrapport fra et uafhængigt, akkrediteret laboratorium."


def C(kind, text, documentation="", guidance="", ambition="", labels=()):
    """One criterion as the demo writes it."""
    return {
        "kind": kind,
        "text": text,
        "documentation": documentation,
        "guidance": guidance,
        "ambition": ambition,
        "labels": list(labels),
    }


# Each goal: number, slug, product area slug, and its versions in order. The first version lists its
# criteria; a later version starts as a copy of the one in force and lists what changes ("update" by
# criterion number, "add", "delete"). "status" is where the version ends: published (the default,
# adopted before the portal, so registered from the records, and superseding the version before) or
# draft (the workgroups demo opens its hearings). "withdrawn" withdraws the last version after
# publishing it.
GOALS = [
    {
        "number": 1,
        "slug": "foedevarer",
        "area": "foedevarer",
        "versions": [
            {
                "title": "Fødevarer",
                "statement": "Medlemmerne øger andelen af økologiske fødevarer og af frugt og grønt i sæson i de offentlige køkkener og kantiner og arbejder for at nedbringe madspild.",
                "scope": "Fødevarer til offentlige køkkener, institutionskøkkener og kantiner samt kantine- og cateringydelser. Omfatter ikke drikkevarer i automater.",
                "transition_note": "Gælder for udbud af fødevarer og kantinedrift, der annonceres fra 1. januar 2019.",
                "ecolabels": [],
                "sdg": ["2.4", "12.7"],
                "adopted_on": date(2018, 11, 20),
                "effective_date": date(2019, 1, 1),
                "criteria": [
                    C(
                        REQ,
                        "Leverandøren skal kunne levere et sortiment, hvor mindst 60 % af indkøbsværdien kan udgøres af økologiske fødevarer.",
                        "Leverandørens gyldige økologicertifikat og en sortimentsliste, hvor de økologiske varer er markeret.",
                        "Andelen opgøres årligt på grundlag af leverandørens statistik over de varer, der faktisk er købt.",
                        CORE,
                    ),
                    C(
                        CLAUSE,
                        "Leverandøren skal hvert kvartal sende ordregiver en opgørelse over købte varer fordelt på økologiske og konventionelle varer, i kroner og kilo.",
                        "Kvartalsvis statistik i regneark efter ordregivers skabelon.",
                    ),
                    C(
                        REC,
                        "Ordregiver bør planlægge menuerne efter sæsonen og efterspørge frugt og grønt i sæson, fx ved at lægge en sæsonkalender ved udbudsmaterialet.",
                    ),
                    C(
                        AWARD,
                        "Ved tildeling lægges vægt på leverandørens løsninger til at mindske madspild fra lager til køkken, fx mindre pakningsstørrelser og fleksible bestillingsfrister.",
                        "Tilbudsgivers beskrivelse af løsningerne med konkrete eksempler.",
                        "Vægt kriteriet med 10–20 % af kvaliteten, så det gør en forskel uden at fortrænge pris og sortiment.",
                        FULL,
                    ),
                ],
            },
            {
                "status": "draft",
                "statement": "Medlemmerne øger andelen af økologiske fødevarer, serverer flere plantebaserede måltider og vælger frugt og grønt i sæson, så maden i de offentlige køkkener og kantiner belaster klimaet mindre. Medlemmerne arbejder for at halvere madspild.",
                "change_note": "Udkast fra arbejdsgruppen, der begyndte revisionen i maj 2022. Klimahensyn er skrevet ind i målet, kravet til den økologiske andel er hævet fra 60 % til 75 %, og der er tilføjet et tildelingskriterium om plantebaserede retter.",
                "sdg": ["2.4", "12.3", "12.7"],
                "update": {
                    "1.a": {
                        "text": "Leverandøren skal kunne levere et sortiment, hvor mindst 75 % af indkøbsværdien kan udgøres af økologiske fødevarer.",
                    },
                },
                "add": [
                    C(
                        AWARD,
                        "Ved tildeling lægges vægt på tilbudsgivers forslag til plantebaserede retter og på, hvor stor en del af menuplanen der er plantebaseret.",
                        "Eksempel på menuplan for fire uger med angivelse af plantebaserede retter.",
                        "Bruges ved udbud af kantinedrift og mad til borgere; kombiner gerne med en smagsprøve.",
                        FULL,
                    ),
                ],
            },
        ],
    },
    {
        "number": 2,
        "slug": "it-udstyr",
        "area": "it-udstyr",
        "versions": [
            {
                "title": "IT-udstyr",
                "statement": "Medlemmerne vælger IT-udstyr ud fra de samlede omkostninger over levetiden, herunder en pris på CO2-udledningen, og forlænger udstyrets levetid, bl.a. ved at overveje istandsat udstyr.",
                "scope": "Skærme, computere, tablets, smartphones og kopi- og printudstyr, der købes eller leases. Omfatter ikke servere og netværksudstyr.",
                "transition_note": "Gælder for udbud og miniudbud, der annonceres fra 1. november 2021.",
                "ecolabels": [TCO, EPEAT],
                "sdg": ["7.3", "8.7", "12.7"],
                "adopted_on": date(2021, 9, 14),
                "effective_date": date(2021, 11, 1),
                "criteria": [
                    C(
                        AWARD,
                        "Totalomkostningerne (TCO) over udstyrets forventede levetid indgår som økonomisk tildelingskriterium. Beregningen omfatter indkøbspris, elforbrug i brugsfasen og en ekstern omkostning ved CO2-udledning på mindst 1.500 kr. pr. ton.",
                        "Tilbudsgiver udfylder ordregivers TCO-skema med pris og det elforbrug (kWh pr. år), der står i produktdatabladet.",
                        "Brug Energistyrelsens TCO-værktøj for computere og skærme. Fastsæt levetid, brugstid og emissionsfaktor for el i udbudsmaterialet, så alle tilbud beregnes ens.",
                        CORE,
                    ),
                    C(
                        REQ,
                        "Batteriet i bærbare computere, tablets og smartphones skal efter 300 fulde opladninger have mindst 80 % af den oprindelige kapacitet og skal kunne udskiftes af en fagperson uden specialværktøj.",
                        "Produktet er certificeret efter TCO Certified eller registreret i EPEAT med det tilsvarende kriterium, eller leverandøren fremlægger en testrapport fra et uafhængigt laboratorium.",
                        labels=[TCO, EPEAT],
                    ),
                    C(
                        CLAUSE,
                        "Leverandøren skal i kontraktperioden tage brugt udstyr retur, slette data efter en anerkendt standard og sørge for genbrug eller forsvarlig genanvendelse. Leverandøren rapporterer årligt, hvor mange enheder der er genbrugt.",
                        "Sletningscertifikat for hver enhed og en årlig rapport.",
                    ),
                    C(
                        REC,
                        "Ordregiver bør overveje at åbne udbuddet for istandsat udstyr med samme garanti som nyt udstyr, fx som en særskilt delaftale.",
                        guidance="Istandsatte computere og smartphones kan ofte dække behovet i undervisning og til vikarer.",
                    ),
                    C(
                        CLAUSE,
                        "Leverandøren skal arbejde for at forebygge tvangsarbejde og børnearbejde i forsyningskæden efter OECD's retningslinjer og FN's vejledende principper og på opfordring redegøre for sin due diligence.",
                        "Leverandørens politik for ansvarlig forsyningskæde. Produkter certificeret efter TCO Certified anses for at opfylde kravet.",
                        ambition=FULL,
                        labels=[TCO],
                    ),
                ],
            },
        ],
    },
    {
        "number": 3,
        "slug": "byggeri-og-anlaeg",
        "area": "byggeri",
        "versions": [
            {
                "title": "Byggeri og anlæg",
                "statement": "I perioden 2012–2016 opføres mindst 25 % af medlemmernes nye etageareal mindst én lavenergiklasse bedre end kravet i det gældende bygningsreglement, med sigte på 100 % i 2018. Ved renovering stræber medlemmerne efter at nedbringe energiforbrug og miljøpåvirkning.",
                "scope": "Nybyggeri og større renoveringer, som medlemmerne selv bygger eller bestiller. Omfatter ikke lejede bygninger og anlæg uden opvarmede arealer.",
                "transition_note": "Gælder for byggeprojekter, hvor rådgiveraftalen indgås fra 1. januar 2012.",
                "ecolabels": [],
                "sdg": ["7.3", "12.7"],
                "adopted_on": date(2011, 11, 24),
                "effective_date": date(2012, 1, 1),
                "criteria": [
                    C(
                        REQ,
                        "Nybyggeri skal projekteres og opføres, så bygningen overholder energirammen for mindst én lavenergiklasse bedre end mindstekravet i det gældende bygningsreglement.",
                        "Energirammeberegning fra rådgiveren ved hver projektfase og energimærke ved aflevering.",
                        "Stil kravet i rådgiveraftalen og gentag det i udbuddet af entreprisen.",
                        CORE,
                    ),
                    C(
                        CLAUSE,
                        "Entreprenøren skal før aflevering trykprøve bygningens klimaskærm, og resultatet skal overholde kravet for den valgte energiklasse. Er kravet ikke opfyldt, udbedrer entreprenøren for egen regning.",
                        "Rapport fra trykprøvningen udført af et akkrediteret firma.",
                    ),
                    C(
                        REC,
                        "Ved renovering bør ordregiver få udarbejdet en energigennemgang og gennemføre de energibesparende tiltag, der er rentable over bygningsdelens levetid.",
                    ),
                    C(
                        AWARD,
                        "Ved tildeling lægges vægt på tilbudsgivers forslag til at nedbringe bygningens energiforbrug i driften og miljøpåvirkningen fra de valgte materialer.",
                        "Tilbudsgivers beskrivelse med beregnet energiforbrug og oversigt over de vigtigste materialer.",
                        ambition=FULL,
                    ),
                ],
            },
            {
                "status": "draft",
                "statement": "Medlemmerne nedbringer klimapåvirkningen fra nybyggeri og renovering over hele bygningens livscyklus og bygger mindst efter lavemissionsklassen i bygningsreglementet.",
                "change_note": "Udkast: lavenergiklasserne findes ikke længere i bygningsreglementet (BR18). Målet omskrives, så energikravet følger reglementet, og klimapåvirkningen fra materialer opgøres med en livscyklusvurdering (LCA). Kravet om trykprøvning er udgået, da det nu følger af reglementet.",
                "update": {
                    "3.a": {
                        "text": "Nybyggeri skal projekteres og opføres, så bygningens klimapåvirkning over livscyklussen holder sig under grænseværdien for lavemissionsklassen i bygningsreglementet.",
                        "documentation": "Livscyklusvurdering (LCA) fra rådgiveren ved hver projektfase og opdateret vurdering ved aflevering.",
                    },
                },
                "add": [
                    C(
                        CLAUSE,
                        "Rådgiveren skal udarbejde en livscyklusvurdering af bygningen i projektforslaget og bruge den til at sammenligne mindst to alternative materialevalg for de tunge bygningsdele.",
                        "LCA-beregning og notat om de sammenlignede alternativer.",
                        "Brug gerne Bygningsstyrelsens beregningsværktøj LCAbyg, så resultaterne kan sammenlignes mellem projekter.",
                        FULL,
                    ),
                ],
                "delete": ["3.b"],
            },
        ],
    },
    {
        "number": 4,
        "slug": "baeredygtigt-trae",
        "area": "trae",
        "versions": [
            {
                "title": "Bæredygtigt træ",
                "statement": "Træ og træprodukter, som medlemmerne køber, er lovligt fældet og kommer fra bæredygtigt forvaltede skove. Færdige træprodukter opfylder kravene til Svanemærket eller EU-Blomsten eller tilsvarende.",
                "scope": "Træ til byggeri og anlæg, tømmerhandel, legepladser, udemøbler og grønne områder samt færdige træprodukter som møbler. Papir og tryksager hører under indkøbsmål 9.",
                "transition_note": "Gælder for indkøb og udbud fra 1. november 2016.",
                "ecolabels": [FSC, PEFC, SWAN, FLOWER],
                "sdg": ["12.7", "15.2"],
                "adopted_on": date(2016, 9, 27),
                "effective_date": date(2016, 11, 1),
                "criteria": [
                    C(
                        REQ,
                        "Træ og træbaserede materialer skal være lovligt fældet og komme fra bæredygtigt forvaltede skove, som beskrevet i statens regler for indkøb af bæredygtigt træ.",
                        "Træet er certificeret efter FSC eller PEFC med gyldigt sporbarhedscertifikat (chain of custody), eller leverandøren fremlægger tilsvarende dokumentation for oprindelse og skovforvaltning.",
                        "Bed om certifikatnummeret på fakturaen eller følgesedlen, så den enkelte leverance kan kontrolleres.",
                        CORE,
                        [FSC, PEFC],
                    ),
                    C(
                        REQ,
                        "Færdige træprodukter, fx udemøbler, legepladsudstyr og møbler, skal opfylde kriterierne for Svanemærket eller EU-Blomsten for den pågældende produktgruppe.",
                        DOC_SWAN_FLOWER,
                        labels=[SWAN, FLOWER],
                    ),
                    C(
                        REQ,
                        "Træ til legepladser og sandkasser må ikke være trykimprægneret, medmindre det står i direkte jordkontakt.",
                        "Produktblad med træart og oplysning om eventuel imprægnering.",
                        ambition=FULL,
                    ),
                    C(
                        CLAUSE,
                        "Leverandøren skal ved hver levering oplyse træart og oprindelsesland og på forlangende vise, at træet i leverancen er omfattet af den dokumentation, der blev givet med tilbuddet.",
                        "Følgeseddel eller faktura med træart, oprindelsesland og certifikatnummer.",
                    ),
                    C(
                        REC,
                        "Ordregiver bør vælge træprodukter, der kan repareres, og efterspørge reservedele til udemøbler og legepladsudstyr i mindst ti år.",
                    ),
                ],
            },
            {
                "status": "draft",
                "change_note": "Udkast til intern høring fra arbejdsgruppen, der begyndte i september 2022. Kravet om sporbarhed er skærpet i lyset af EU's regler om afskovningsfri produkter, forbuddet mod trykimprægneret træ omfatter nu alle udendørs anvendelser over jord, og der er tilføjet et tildelingskriterium for genbrugt træ.",
                "transition_note": "Den nye version forelægges styregruppen efter høringerne. Indtil den træder i kraft, gælder version 1.",
                "update": {
                    "4.a": {
                        "text": "Træ og træbaserede materialer skal være lovligt fældet, må ikke have bidraget til skovrydning og skal komme fra bæredygtigt forvaltede skove, som beskrevet i statens regler for indkøb af bæredygtigt træ.",
                    },
                    "4.c": {
                        "text": "Træ til legepladser, sandkasser, udemøbler og andre udendørs anvendelser må ikke være trykimprægneret, medmindre det står i direkte jordkontakt.",
                    },
                },
                "add": [
                    C(
                        AWARD,
                        "Ved tildeling lægges vægt på andelen af genbrugt træ i de tilbudte produkter og på, om produkterne kan tages retur og genbruges efter endt brug.",
                        "Tilbudsgivers opgørelse af andelen af genbrugt træ pr. produkt og beskrivelse af returordningen.",
                        ambition=FULL,
                    ),
                ],
            },
        ],
    },
    {
        "number": 5,
        "slug": "rengoering",
        "area": "rengoering",
        "versions": [
            {
                "title": "Rengøring",
                "statement": "Rengøringsmidler, som medlemmerne køber, er miljømærkede eller lever op til tilsvarende krav. Det gælder også de midler, som rengøringsfirmaer bruger i medlemmernes bygninger.",
                "scope": "Universalrengøringsmidler, sanitetsrengøringsmidler, gulvplejemidler og vinduespudsemidler samt indendørs rengøringsydelser. Omfatter ikke desinfektionsmidler til sundhedssektoren.",
                "transition_note": "Gælder for indkøb og udbud fra 1. januar 2015.",
                "ecolabels": [SWAN, FLOWER],
                "sdg": ["6.3", "12.4", "12.7"],
                "adopted_on": date(2014, 11, 25),
                "effective_date": date(2015, 1, 1),
                "criteria": [
                    C(
                        REQ,
                        "Universal- og sanitetsrengøringsmidler skal opfylde kriterierne for Svanemærket eller EU-Blomsten.",
                        DOC_SWAN_FLOWER,
                        "Spørg i markedsdialogen, om hele sortimentet findes med mærke.",
                        CORE,
                        [SWAN, FLOWER],
                    ),
                    C(
                        REQ,
                        "Produkterne må ikke leveres som spray med drivgas.",
                        "Produktblad.",
                    ),
                    C(
                        REQ,
                        "Produkterne skal have en tydelig doseringsvejledning på emballagen.",
                        "Billede af etiketten eller produktblad.",
                    ),
                    C(
                        CLAUSE,
                        "Ved udbud af rengøringsydelser skal leverandøren bruge rengøringsmidler, der opfylder kravene i dette mål, og på forlangende fremlægge en liste over de anvendte midler.",
                        "Produktliste med mærke eller anden dokumentation for hvert middel.",
                    ),
                    C(
                        REC,
                        "Ordregiver bør vælge parfumefrie produkter, hvor det er muligt.",
                    ),
                ],
            },
            {
                "statement": "Rengøringsmidler, som medlemmerne køber, er mærket med Svanemærket eller EU-Blomsten eller lever op til tilsvarende krav, og de doseres præcist. Det gælder også de midler, som rengøringsfirmaer bruger i medlemmernes bygninger.",
                "change_note": "Version 2 bygger på de nyeste kriterier for Svanemærket og EU-Blomsten for rengøringsmidler. Kravet om doseringsvejledning er præciseret, der er tilføjet et krav om præcise doseringssystemer, og anbefalingen om parfumefrie produkter er flyttet ind i vejledningen til 5.a.",
                "transition_note": "Gælder for kontrakter, der indgås fra 1. maj 2023. Løbende kontrakter kan fortsætte efter version 1 til de udløber.",
                "adopted_on": date(2023, 3, 21),
                "effective_date": date(2023, 5, 1),
                "update": {
                    "5.a": {
                        "text": "Universal- og sanitetsrengøringsmidler skal opfylde kriterierne for Svanemærket eller EU-Blomsten i den gældende version, eller tilsvarende.",
                        "guidance": "Spørg i markedsdialogen, om hele sortimentet findes med mærke. Vælg parfumefrie produkter, hvor det er muligt.",
                    },
                    "5.c": {
                        "text": "Produkterne skal have en tydelig doseringsvejledning på emballagen med piktogrammer og dosering for let, normal og kraftig tilsmudsning.",
                    },
                },
                "add": [
                    C(
                        REQ,
                        "Koncentrerede produkter skal kunne doseres præcist med et doseringssystem, fx pumpe, doseringsflaske eller automatisk doseringsanlæg, som leverandøren stiller til rådighed.",
                        "Beskrivelse af doseringssystemet og produktblad.",
                        "Overdosering er den største kilde til unødigt kemikalieforbrug; bed leverandøren instruere personalet ved opstart.",
                        CORE,
                    ),
                ],
                "delete": ["5.e"],
            },
        ],
    },
    {
        "number": 6,
        "slug": "boerneartikler",
        "area": "boerneartikler",
        "versions": [
            {
                "title": "Børneartikler",
                "statement": "Legetøj til børn under seks år, som medlemmerne køber, er fri for ftalater, bromerede flammehæmmere, skadelige tungmetaller og tilsat parfume.",
                "scope": "Legetøj til dagtilbud og institutioner for børn i alderen 0–6 år. Udendørs legepladsudstyr hører under indkøbsmål 4.",
                "transition_note": "Gælder for indkøb fra 1. juni 2012.",
                "ecolabels": [SWAN, FLOWER],
                "sdg": ["12.4", "12.7"],
                "adopted_on": date(2012, 4, 24),
                "effective_date": date(2012, 6, 1),
                "criteria": [
                    C(
                        REQ,
                        "Legetøj af plast til børn under seks år må ikke indeholde tilsatte ftalater.",
                        DOC_SUPPLIER_TEST,
                        ambition=CORE,
                    ),
                    C(
                        REQ,
                        "Legetøj må ikke indeholde bromerede flammehæmmere og må ikke indeholde bly, cadmium, kviksølv eller seksværdigt krom ud over uundgåelige urenheder.",
                        DOC_SUPPLIER_TEST,
                    ),
                    C(
                        REQ,
                        "Legetøj må ikke være tilsat parfume eller andre duftstoffer.",
                        "Produktblad eller erklæring fra producenten.",
                    ),
                    C(
                        REC,
                        "Ordregiver bør vælge legetøj, der er mærket med Svanemærket eller EU-Blomsten, hvor det findes.",
                        DOC_SWAN_FLOWER,
                        labels=[SWAN, FLOWER],
                    ),
                ],
            },
            {
                "statement": "Legetøj, hobby- og formningsmaterialer og bleer, som medlemmerne køber, er mærket med Svanemærket eller EU-Blomsten eller lever op til tilsvarende krav. Produkterne er fri for ftalater, bromerede flammehæmmere og tilsat parfume.",
                "scope": "Legetøj, hobby- og formningsmaterialer og engangsbleer til dagtilbud, skoler og institutioner. Udendørs legepladsudstyr hører under indkøbsmål 4.",
                "change_note": "Revideret og godkendt 3. maj 2023. Målet omfatter nu også hobby- og formningsmaterialer og bleer, som siden 2021 har været omfattet af midlertidige krav. Kravene gælder alle aldersgrupper, kravet om parfume er samlet med kravet om andre stoffer i 6.b, og anbefalingen om miljømærket legetøj er gjort til et krav.",
                "transition_note": "Gælder for indkøb og udbud fra 3. maj 2023. De midlertidige krav fra 2021 bortfalder.",
                "adopted_on": date(2023, 5, 3),
                "effective_date": date(2023, 5, 3),
                "update": {
                    "6.a": {
                        "text": "Legetøj og hobbymaterialer af plast må ikke indeholde tilsatte ftalater.",
                    },
                    "6.b": {
                        "text": "Produkterne må ikke indeholde bromerede flammehæmmere eller tilsat parfume og må ikke indeholde bly, cadmium, kviksølv eller seksværdigt krom ud over uundgåelige urenheder.",
                    },
                    "6.d": {
                        "kind": REQ,
                        "text": "Legetøj og hobby- og formningsmaterialer skal være mærket med Svanemærket eller EU-Blomsten, hvor mærkede produkter findes i sortimentet, eller opfylde tilsvarende krav.",
                        "ambition": CORE,
                    },
                },
                "add": [
                    C(
                        REQ,
                        "Engangsbleer skal opfylde kriterierne for Svanemærket eller EU-Blomsten.",
                        DOC_SWAN_FLOWER,
                        labels=[SWAN, FLOWER],
                    ),
                    C(
                        CLAUSE,
                        "Leverandøren skal straks oplyse ordregiver, hvis et mærket produkt mister sin licens, og tilbyde et tilsvarende mærket produkt uden merpris.",
                        "Leverandørens skriftlige bekræftelse ved kontraktindgåelse.",
                    ),
                ],
                "delete": ["6.c"],
            },
        ],
    },
    {
        "number": 7,
        "slug": "transport",
        "area": "transport",
        "versions": [
            {
                "title": "Transport",
                "statement": "Medlemmerne nedbringer CO2-udledningen og luftforureningen fra egen vognpark, godstransport og kørsel efter behov ved at vælge nul- og lavemissionskøretøjer og stille miljøkrav til transportydelser.",
                "scope": "Køb og leasing af personbiler og varebiler til egen vognpark samt udbud af godstransport og kørsel efter behov, fx taxa og befordring. Omfatter ikke den kollektive trafik.",
                "transition_note": "Gælder for køb, leasing og udbud fra 1. juli 2018.",
                "ecolabels": [],
                "sdg": ["11.6", "12.7", "13.2"],
                "adopted_on": date(2018, 5, 29),
                "effective_date": date(2018, 7, 1),
                "criteria": [
                    C(
                        REQ,
                        "Nye personbiler og varebiler til egen vognpark skal være nulemissionskøretøjer, medmindre kørselsbehovet ikke kan dækkes af de modeller, der findes på markedet.",
                        "Registreringsattest eller typegodkendelse med oplyst CO2-udledning.",
                        "Lav en kørselsanalyse før udbuddet, så behovet for rækkevidde og opladning er kendt. Begrund skriftligt, hvis der vælges andre køretøjer.",
                        CORE,
                    ),
                    C(
                        AWARD,
                        "Ved udbud af kørsel efter behov og godstransport lægges vægt på, hvor stor en del af de kørte kilometer der køres i nul- eller lavemissionskøretøjer.",
                        "Liste over de køretøjer, der bruges i kontrakten, med drivmiddel og euronorm.",
                    ),
                    C(
                        REQ,
                        "Dieselkøretøjer, der bruges i kontrakten, skal mindst opfylde Euro 6 (personbiler og varebiler) eller Euro VI (lastbiler og busser).",
                        "Registreringsattest for hvert køretøj.",
                    ),
                    C(
                        CLAUSE,
                        "Leverandøren skal hvert år rapportere kørte kilometer og brændstof- eller elforbrug fordelt på køretøjer, så ordregiver kan opgøre CO2-udledningen fra kontrakten.",
                        "Årlig rapport efter ordregivers skabelon.",
                    ),
                    C(
                        REC,
                        "Ordregiver bør tilbyde medarbejdere, der kører meget, kursus i energirigtig kørsel og overveje delebiler og elcykler til korte ture.",
                        ambition=FULL,
                    ),
                ],
            },
        ],
    },
    {
        "number": 8,
        "slug": "belysning",
        "area": "belysning",
        "versions": [
            {
                "title": "Belysning",
                "statement": "Alle lyskilder og armaturer, som medlemmerne køber, er LED. Nye anlæg bruger LED-lyskilder fra de to bedste energiklasser, der findes på markedet.",
                "scope": "Lyskilder og armaturer til indendørs og udendørs belysning og vejbelysning. Omfatter ikke nødbelysning med særlige krav.",
                "transition_note": "Gælder for indkøb og udbud fra 1. januar 2022.",
                "ecolabels": [ENERGY_LABEL],
                "sdg": ["7.3", "12.7"],
                "adopted_on": date(2021, 11, 23),
                "effective_date": date(2022, 1, 1),
                "criteria": [
                    C(
                        REQ,
                        "Lyskilder og armaturer skal være LED.",
                        "Produktblad.",
                        ambition=CORE,
                    ),
                    C(
                        REQ,
                        "I nye belysningsanlæg skal LED-lyskilderne være i en af de to bedste energiklasser i EU's energimærkning, der findes på markedet for den pågældende type lyskilde.",
                        "Produktets registrering i EU's produktdatabase for energimærkning (EPREL) med energiklasse.",
                        "Undersøg i EPREL, hvilke energiklasser der reelt findes for typen af lyskilde, før kravet skrives ind i udbuddet.",
                        CORE,
                        [ENERGY_LABEL],
                    ),
                    C(
                        REQ,
                        "LED-lyskilder skal have en levetid på mindst 50.000 timer, hvor lysstrømmen højst er faldet til 80 % (L80).",
                        "Produktblad med levetid og lysnedgang målt efter den relevante standard.",
                    ),
                    C(
                        REC,
                        "Ved renovering bør ordregiver følge bygningsreglementets regler om belysning og dagslysstyring og vurdere, om styring efter tilstedeværelse og dagslys kan betale sig.",
                    ),
                    C(
                        CLAUSE,
                        "Leverandøren skal kunne levere reservedele, herunder drivere, til armaturerne i mindst ti år efter leveringen.",
                        "Leverandørens erklæring med liste over reservedele.",
                    ),
                ],
            },
            {
                "change_note": "Justeret juni 2024. Kravet om energiklasse gælder nu også ved udskiftning af armaturer og henviser til den nye skala A–G, kravet til levetid er hævet, og der er tilføjet et krav om, at lyskilde og driver kan udskiftes. Anbefalingen om bygningsreglementet er udgået, fordi reglerne gælder uanset målet.",
                "transition_note": "Gælder for indkøb og udbud fra 1. juni 2024.",
                "adopted_on": date(2024, 4, 23),
                "effective_date": date(2024, 6, 1),
                "update": {
                    "8.b": {
                        "text": "I nye belysningsanlæg og ved udskiftning af armaturer skal LED-lyskilderne være i en af de to bedste energiklasser på skalaen A–G i EU's energimærkning, der findes på markedet for den pågældende type lyskilde.",
                    },
                    "8.c": {
                        "text": "LED-lyskilder skal have en levetid på mindst 60.000 timer, hvor lysstrømmen højst er faldet til 80 % (L80).",
                    },
                },
                "add": [
                    C(
                        REQ,
                        "Lyskilder og drivere i armaturerne skal kunne udskiftes af en fagperson uden at ødelægge armaturet.",
                        "Produktblad eller monteringsvejledning, der viser, hvordan lyskilde og driver udskiftes.",
                        ambition=FULL,
                    ),
                ],
                "delete": ["8.d"],
            },
        ],
    },
    {
        "number": 9,
        "slug": "kontorartikler-og-tryksager",
        "area": "papir-tryksager",
        "versions": [
            {
                "title": "Papir og tryksager",
                "statement": "Alt kopi- og printpapir, som medlemmerne køber, er 100 % genbrugspapir eller mærket med Svanemærket eller EU-Blomsten. Offsettrykte tryksager opfylder kriterierne for Svanemærket eller EU-Blomsten.",
                "scope": "Kopi- og printpapir og offsettrykte tryksager som foldere, rapporter og brevpapir. Omfatter ikke emballage og hygiejnepapir.",
                "transition_note": "Gælder for indkøb og udbud fra 1. januar 2015.",
                "ecolabels": [SWAN, FLOWER],
                "sdg": ["12.7", "15.2"],
                "adopted_on": date(2014, 11, 25),
                "effective_date": date(2015, 1, 1),
                "criteria": [
                    C(
                        REQ,
                        "Kopi- og printpapir skal være 100 % genbrugspapir eller være mærket med Svanemærket eller EU-Blomsten.",
                        DOC_SWAN_FLOWER,
                        ambition=CORE,
                        labels=[SWAN, FLOWER],
                    ),
                    C(
                        REQ,
                        "Offsettrykte tryksager skal opfylde kriterierne for Svanemærket eller EU-Blomsten for tryksager.",
                        "Trykkeriet har licens til Svanemærket eller EU-Blomsten for tryksager, eller leverandøren fremlægger tilsvarende dokumentation.",
                        labels=[SWAN, FLOWER],
                    ),
                    C(
                        REC,
                        "Ordregiver bør indstille printere til dobbeltsidet print som standard og begrænse antallet af trykte eksemplarer.",
                    ),
                    C(
                        CLAUSE,
                        "Leverandøren skal hvert år oplyse ordregiver om mængden af leveret papir fordelt på genbrugspapir, miljømærket papir og andet papir.",
                        "Årlig statistik efter ordregivers skabelon.",
                    ),
                ],
            },
            {
                "title": "Træbaserede kontorartikler og tryksager",
                "statement": "Tryksager og træbaserede kontorartikler, som medlemmerne køber, opfylder kriterierne for Svanemærket eller EU-Blomsten, og træfibrene kommer fra bæredygtigt forvaltede skove. Roll-ups og bannere er PVC-frie.",
                "scope": "Kopi- og printpapir, kuverter, blokke, mapper og andre træbaserede kontorartikler, tryksager uanset trykmetode samt roll-ups og bannere. Omfatter ikke emballage og hygiejnepapir.",
                "change_note": "Målet er udvidet fra papir og tryksager til alle træbaserede kontorartikler. Kravet om genbrugspapir er erstattet af et krav om bæredygtige eller genanvendte træfibre, hvor FSC og PEFC accepteres som dokumentation, tryksagskravet gælder nu alle trykmetoder, og der er tilføjet et krav om PVC-frie roll-ups. Anbefalingen om dobbeltsidet print er udgået, fordi den ikke handler om indkøb.",
                "transition_note": "Gælder for indkøb og aftaler, der indgås fra 1. marts 2020. Eksisterende aftaler om tryksager kan løbe til de udløber.",
                "ecolabels": [SWAN, FLOWER, FSC, PEFC],
                "adopted_on": date(2019, 12, 10),
                "effective_date": date(2020, 3, 1),
                "update": {
                    "9.a": {
                        "text": "Kopi- og printpapir og andre træbaserede kontorartikler skal være mærket med Svanemærket eller EU-Blomsten, eller træfibrene skal komme fra bæredygtigt forvaltede skove eller være genanvendte.",
                        "documentation": "Produktet er mærket med Svanemærket eller EU-Blomsten eller certificeret efter FSC eller PEFC, eller leverandøren fremlægger tilsvarende dokumentation for fibrenes oprindelse.",
                        "labels": [SWAN, FLOWER, FSC, PEFC],
                    },
                    "9.b": {
                        "text": "Tryksager skal opfylde kriterierne for Svanemærket eller EU-Blomsten for tryksager, uanset trykmetode.",
                    },
                },
                "add": [
                    C(
                        REQ,
                        "Roll-ups, bannere og andre skilte må ikke være fremstillet af PVC.",
                        "Produktblad med materialeangivelse.",
                        "Tekstilbannere af polyester kan ofte genbruges med nyt tryk; spørg efter muligheden.",
                    ),
                ],
                "delete": ["9.c"],
            },
        ],
    },
    {
        "number": 10,
        "slug": "koekkenudstyr",
        "area": "koekkenudstyr",
        "versions": [
            {
                "title": "Køkkenudstyr",
                "statement": "Medlemmerne vælger husholdnings- og storkøkkenudstyr ud fra de samlede omkostninger over levetiden med en pris på CO2-udledningen, hvor energi- og vandforbrug kan beregnes. Udstyret kan repareres i mindst ti år.",
                "scope": "Husholdningsapparater og storkøkkenudstyr som ovne, opvaskemaskiner, køle- og fryseudstyr, blæsekølere og vippekedler. Omfatter ikke køkkenudstyr uden energi- eller vandforbrug.",
                "transition_note": "Gælder for indkøb og udbud fra 1. august 2020.",
                "ecolabels": [],
                "sdg": ["7.3", "12.7"],
                "adopted_on": date(2020, 6, 16),
                "effective_date": date(2020, 8, 1),
                "criteria": [
                    C(
                        AWARD,
                        "Totalomkostningerne (TCO) indgår som økonomisk tildelingskriterium, hvor udstyrets energi- og vandforbrug kan beregnes. Beregningen omfatter en CO2-pris på mindst 1.000 kr. pr. ton og en emissionsfaktor for el på 212 g CO2 pr. kWh.",
                        "Tilbudsgiver udfylder ordregivers TCO-skema med pris og energi- og vandforbrug fra produktdatabladet, målt efter den relevante standard.",
                        "Brug Energistyrelsens TCO-værktøjer for storkøkkenudstyr. Oplys brugsmønstret, fx driftstimer og antal opvaske om dagen, i udbudsmaterialet, så alle tilbud beregnes ens.",
                        CORE,
                    ),
                    C(
                        CLAUSE,
                        "Leverandøren skal kunne levere reservedele til udstyret i mindst ti år efter leveringen.",
                        "Leverandørens erklæring med liste over reservedele og leveringstider.",
                        ambition=CORE,
                    ),
                    C(
                        REQ,
                        "Køle- og fryseudstyr skal bruge naturlige kølemidler, fx CO2, propan eller isobutan.",
                        "Produktblad med angivelse af kølemiddel.",
                    ),
                    C(
                        REC,
                        "Ordregiver bør inddrage køkkenpersonalet i behovsanalysen og vurdere, om behovet kan dækkes af færre eller mindre apparater.",
                    ),
                    C(
                        CLAUSE,
                        "Leverandøren skal ved levering instruere personalet i energirigtig brug, rengøring og vedligehold af udstyret.",
                        "Plan for instruktionen, vedlagt tilbuddet.",
                        ambition=FULL,
                    ),
                ],
            },
        ],
    },
    {
        "number": 11,
        "slug": "transport-af-foedevarer-og-tekstiler",
        "area": "transport",
        "withdrawn": True,
        "versions": [
            {
                "title": "Transport af fødevarer og tekstiler",
                "statement": "Ved udbud af fødevarer og tekstiler med levering og ved vaskeriydelser stiller medlemmerne krav til transportens miljøpåvirkning.",
                "scope": "Transport, der indgår i leverancer af fødevarer, tekstiler og vaskeriydelser.",
                "transition_note": "Gælder for udbud fra 1. januar 2017.",
                "ecolabels": [],
                "sdg": ["11.6", "12.7"],
                "adopted_on": date(2016, 11, 29),
                "effective_date": date(2017, 1, 1),
                "criteria": [
                    C(
                        REQ,
                        "Lastbiler, der bruges til levering i kontrakten, skal mindst opfylde Euro VI.",
                        "Liste over køretøjer med registreringsnummer og euronorm.",
                        ambition=CORE,
                    ),
                    C(
                        AWARD,
                        "Ved tildeling lægges vægt på leverandørens plan for at samle leverancer og nedbringe antallet af leveringer pr. uge.",
                        "Leveringsplan for en typisk uge.",
                    ),
                    C(
                        CLAUSE,
                        "Leverandøren skal hvert år rapportere antal leveringer og kørte kilometer i kontrakten.",
                        "Årlig rapport efter ordregivers skabelon.",
                    ),
                ],
            },
        ],
    },
    {
        "number": 12,
        "slug": "tekstiler",
        "area": "tekstiler",
        "versions": [
            {
                "title": "Tekstiler",
                "statement": "Tekstiler, som medlemmerne køber eller lejer, er mærket med EU-Blomsten eller Svanemærket, hvor der findes mærkede produkter. Andre tekstiler er som minimum testet for skadelige stoffer efter OEKO-TEX STANDARD 100 eller tilsvarende.",
                "scope": "Linned, håndklæder, arbejdstøj, måtter og andre tekstiler samt leje og vask af tekstiler. Omfatter ikke personlige værnemidler med særlige krav.",
                "transition_note": "Gælder for indkøb og udbud fra 1. juli 2020.",
                "ecolabels": [FLOWER, SWAN, OEKO_TEX],
                "sdg": ["6.3", "8.7", "12.7"],
                "adopted_on": date(2020, 6, 16),
                "effective_date": date(2020, 7, 1),
                "criteria": [
                    C(
                        REQ,
                        "Tekstiler skal være mærket med EU-Blomsten eller Svanemærket, hvor mærkede produkter findes på markedet for den pågældende produkttype.",
                        DOC_SWAN_FLOWER,
                        "Undersøg i markedsdialogen, hvilke produkttyper der findes med mærke. Er der for få, kan mærket i stedet bruges som tildelingskriterium, se 12.c.",
                        CORE,
                        [FLOWER, SWAN],
                    ),
                    C(
                        REQ,
                        "Tekstiler, der ikke findes med EU-Blomsten eller Svanemærket, skal være certificeret efter OEKO-TEX STANDARD 100 eller testet for skadelige stoffer efter tilsvarende krav.",
                        "Gyldigt OEKO-TEX-certifikat eller testrapport fra et uafhængigt laboratorium.",
                        ambition=CORE,
                        labels=[OEKO_TEX],
                    ),
                    C(
                        AWARD,
                        "Ved tildeling lægges vægt på andelen af tilbudte produkter, der er mærket med EU-Blomsten eller Svanemærket.",
                        "Produktliste med mærke og licensnummer for hvert produkt.",
                        labels=[FLOWER, SWAN],
                    ),
                    C(
                        REQ,
                        "Nyt linned og nye håndklæder må højst bestå af to fibertyper, så tekstilerne kan genanvendes.",
                        "Produktblad med fibersammensætning.",
                        ambition=FULL,
                    ),
                    C(
                        CLAUSE,
                        "Ved leje og vask af tekstiler skal vaskeriet opfylde kriterierne for Svanemærket for vaskerier eller tilsvarende.",
                        "Vaskeriet har licens til Svanemærket, eller leverandøren dokumenterer forbruget af vand, energi og kemikalier på niveau med kriterierne.",
                        labels=[SWAN],
                    ),
                    C(
                        REC,
                        "Ordregiver bør foretrække tekstiler af økologisk bomuld, hvor bomuld indgår.",
                    ),
                ],
            },
            {
                "change_note": "Justeret februar 2024. Kravet om højst to fibertyper gælder nu også arbejdstøj, vaskerikravet henviser til den gældende version af Svanemærkets kriterier for tekstilservice, og der er tilføjet en kontraktklausul om due diligence i forsyningskæden. Anbefalingen om økologisk bomuld er udgået, fordi den er dækket af mærkekravene i 12.a og 12.c.",
                "transition_note": "Gælder for indkøb og udbud fra 1. februar 2024.",
                "adopted_on": date(2023, 12, 12),
                "effective_date": date(2024, 2, 1),
                "update": {
                    "12.d": {
                        "text": "Nyt linned, nye håndklæder og nyt arbejdstøj må højst bestå af to fibertyper, så tekstilerne kan genanvendes.",
                    },
                    "12.e": {
                        "text": "Ved leje og vask af tekstiler skal vaskeriet opfylde den gældende version af Svanemærkets kriterier for tekstilservice eller tilsvarende.",
                    },
                },
                "add": [
                    C(
                        CLAUSE,
                        "Leverandøren skal udføre due diligence for menneskerettigheder og arbejdstagerrettigheder i forsyningskæden efter OECD's retningslinjer og på opfordring fremlægge en redegørelse for risici og tiltag.",
                        "Leverandørens redegørelse for due diligence.",
                        "Følg op mindst én gang om året, fx ved et opfølgningsmøde, hvor leverandøren gennemgår de væsentligste risici.",
                        FULL,
                    ),
                ],
                "delete": ["12.f"],
            },
        ],
    },
]

# Implementation plans for the members in transition (see members/demo.py).
# Each row: goal number, days from today to "expected to be met by", status, note.
PLAN_ROWS = {
    "630": [  # Vejle, joined three months ago
        (5, -20, "in_progress", "Udbud af rengøringsmidler er afsluttet; kontrakten er endnu ikke underskrevet."),
        (9, 60, "in_progress", "Tilføjer krav om PVC-frie roll-ups i den fælles aftale om tryksager."),
        (8, 300, "not_started", "Afventer udløbet af den nuværende aftale om belysning."),
        (12, -30, "met", "Vaskeriaftalen opfylder allerede kravene."),
    ],
    "615": [  # Horsens, joined eight months ago
        (12, -45, "in_progress", "Markedsdialog gennemført; udbuddet af arbejdstøj er forsinket."),
        (5, -90, "met", "Nye rengøringsmidler i brug på alle skoler og rådhuset."),
        (2, 120, "in_progress", "TCO-skemaet er tilpasset; miniudbud på skærme er i gang."),
        (10, 270, "not_started", "Storkøkkenet i rådhuskantinen udskiftes næste år."),
        (4, 180, "in_progress", "Krav om FSC eller PEFC er skrevet ind i aftalen med tømmerhandlen."),
    ],
    "561": [  # Esbjerg, joined fourteen months ago
        (8, -120, "not_started", "Projektet om ny vejbelysning er udskudt til næste budgetår."),
        (6, -30, "in_progress", "Legetøjsaftalen er genudbudt; bleerne mangler."),
        (9, -200, "met", "Indkøbt via den fælles aftale om papir og tryksager."),
        (5, -150, "met", "Rengøringsfirmaet har dokumenteret, at midlerne er mærket."),
        (7, 90, "in_progress", "To elbiler er leveret; resten af vognparken udskiftes løbende."),
        (3, 240, "not_started", "Indgår i rådgiverudbuddet for den nye daginstitution."),
    ],
}


# The English text the secretariat has written beside the Danish, for the first version of a goal
# (a later version starts with it; a Danish text changed in the revision loses its English, so the
# English site shows the new Danish, marked as Danish). Goal 12 has none yet: the English site shows
# it in Danish, as it shows any goal the secretariat has not translated.
ENGLISH: dict[int, dict[str, Any]] = {
    1: {
        "title": "Food",
        "statement": "Members increase the share of organic food and of fruit and vegetables in season in public kitchens and canteens, and work to reduce food waste.",
        "scope": "Food for public kitchens, institutional kitchens and canteens, and canteen and catering services. Does not cover drinks in vending machines.",
        "transition_note": "Applies to tenders for food and canteen operation published from 1 January 2019.",
        "criteria": [
            (
                "The supplier must be able to deliver a range in which at least 60% of the purchase value can be organic food.",
                "The supplier's valid organic certificate and a product list with the organic products marked.",
                "The share is calculated each year from the supplier's statistics of the products actually bought.",
            ),
            (
                "Every quarter the supplier must send the contracting authority a statement of the products bought, split into organic and conventional products, in kroner and kilos.",
                "Quarterly statistics in a spreadsheet following the contracting authority's template.",
                "",
            ),
            (
                "The contracting authority should plan menus by season and ask for fruit and vegetables in season, for example by attaching a seasonal calendar to the tender documents.",
                "",
                "",
            ),
            (
                "The award gives weight to the supplier's solutions for reducing food waste from warehouse to kitchen, for example smaller pack sizes and flexible ordering deadlines.",
                "The tenderer's description of the solutions with concrete examples.",
                "Weight the criterion at 10–20% of quality, so that it makes a difference without displacing price and range.",
            ),
        ],
    },
    2: {
        "title": "IT equipment",
        "statement": "Members choose IT equipment by its total cost over its lifetime, including a price on CO2 emissions, and extend the equipment's life, among other things by considering refurbished equipment.",
        "scope": "Monitors, computers, tablets, smartphones and copying and printing equipment that is bought or leased. Does not cover servers and network equipment.",
        "transition_note": "Applies to tenders and mini-competitions published from 1 November 2021.",
        "criteria": [
            (
                "The total cost of ownership (TCO) over the equipment's expected lifetime is an economic award criterion. The calculation covers the purchase price, electricity use in the use phase and an external cost of CO2 emissions of at least DKK 1,500 per tonne.",
                "The tenderer fills in the contracting authority's TCO form with the price and the electricity use (kWh per year) stated in the product data sheet.",
                "Use the Danish Energy Agency's TCO tool for computers and monitors. Set the lifetime, hours of use and the emission factor for electricity in the tender documents, so that every tender is calculated the same way.",
            ),
            (
                "The battery of laptops, tablets and smartphones must keep at least 80% of its original capacity after 300 full charges and must be replaceable by a professional without special tools.",
                "The product is TCO Certified or registered in EPEAT with the corresponding criterion, or the supplier provides a test report from an independent laboratory.",
                "",
            ),
            (
                "During the contract the supplier must take back used equipment, erase its data to a recognised standard and ensure reuse or responsible recycling. The supplier reports every year how many units have been reused.",
                "An erasure certificate for each unit and an annual report.",
                "",
            ),
            (
                "The contracting authority should consider opening the tender to refurbished equipment with the same warranty as new equipment, for example as a separate lot.",
                "",
                "Refurbished computers and smartphones can often meet the need in teaching and for temporary staff.",
            ),
            (
                "The supplier must work to prevent forced labour and child labour in the supply chain in line with the OECD Guidelines and the UN Guiding Principles, and on request account for its due diligence.",
                "The supplier's policy for a responsible supply chain. TCO Certified products are considered to meet the requirement.",
                "",
            ),
        ],
    },
    3: {"title": "Building and construction"},
    4: {"title": "Sustainable timber"},
    5: {
        "title": "Cleaning",
        "statement": "Cleaning products bought by members are ecolabelled or meet equivalent requirements. This also applies to the products that cleaning companies use in the members' buildings.",
        "scope": "All-purpose cleaners, sanitary cleaners, floor care products and window cleaners, and indoor cleaning services. Does not cover disinfectants for the health sector.",
        "transition_note": "Applies to purchases and tenders from 1 January 2015.",
        "criteria": [
            (
                "All-purpose and sanitary cleaners must meet the criteria of the Nordic Swan Ecolabel or the EU Ecolabel.",
                "The product carries the Nordic Swan Ecolabel or the EU Ecolabel, or the supplier provides equivalent documentation, for example a technical dossier or a test report from an independent laboratory.",
                "Ask in the market dialogue whether the whole range is available with a label.",
            ),
            ("The products must not be supplied as sprays with propellant gas.", "Product sheet.", ""),
            (
                "The products must have clear dosing instructions on the packaging.",
                "A picture of the label or the product sheet.",
                "",
            ),
            (
                "In tenders for cleaning services the supplier must use cleaning products that meet the requirements of this goal and on request provide a list of the products used.",
                "A product list with the label or other documentation for each product.",
                "",
            ),
            ("The contracting authority should choose fragrance-free products where possible.", "", ""),
        ],
    },
    6: {"title": "Children's products"},
    7: {"title": "Transport"},
    8: {"title": "Lighting"},
    9: {"title": "Paper and printed matter"},
    10: {"title": "Kitchen equipment"},
}


def _labels(slugs) -> list[Ecolabel]:
    found = {label.slug: label for label in Ecolabel.objects.filter(slug__in=slugs)}
    missing = set(slugs) - set(found)
    if missing:
        raise LookupError(f"Unknown ecolabels: {', '.join(sorted(missing))}")
    return [found[slug] for slug in slugs]


def _targets(codes) -> list[SdgTarget]:
    found = {target.code: target for target in SdgTarget.objects.filter(code__in=codes)}
    missing = set(codes) - set(found)
    if missing:
        raise LookupError(f"Unknown SDG targets: {', '.join(sorted(missing))}")
    return [found[code] for code in codes]


def _add_criterion(version: GoalVersion, spec: dict, by) -> Criterion:
    fields = {key: value for key, value in spec.items() if key != "labels"}
    return services.criterion_add(version=version, by=by, ecolabels=_labels(spec["labels"]), **fields)


def _update_version(version: GoalVersion, spec: dict, by) -> GoalVersion:
    fields = {
        name: spec[name] for name in ("title", "statement", "scope", "transition_note", "change_note") if name in spec
    }
    return services.goal_version_update(
        version=version,
        by=by,
        ecolabels=_labels(spec["ecolabels"]) if "ecolabels" in spec else None,
        sdg_targets=_targets(spec["sdg"]) if "sdg" in spec else None,
        **fields,
    )


def _revise_criteria(version: GoalVersion, spec: dict, by) -> None:
    criteria = {criterion.number: criterion for criterion in version.criteria.all()}
    for number, changes in spec.get("update", {}).items():
        fields = {key: value for key, value in changes.items() if key != "labels"}
        labels = _labels(changes["labels"]) if "labels" in changes else None
        services.criterion_update(criterion=criteria[number], by=by, ecolabels=labels, **fields)
    # Add before deleting, so a new criterion never takes the number of a removed one.
    for criterion in spec.get("add", []):
        _add_criterion(version, criterion, by)
    for number in spec.get("delete", []):
        services.criterion_delete(criterion=criteria[number], by=by)


def _advance(version: GoalVersion, spec: dict, by) -> GoalVersion:
    """Take the version through the hearings to where the demo wants it."""
    status = spec.get("status", S.PUBLISHED)
    if status == S.DRAFT:
        return version  # its hearings are opened by the workgroups demo, as the secretariat opens them
    version = services.goal_version_register_adopted(
        version=version,
        by=by,
        effective_date=spec["effective_date"],
        adopted_on=spec["adopted_on"],
        reason=f"Vedtaget af styregruppen {date_text(spec['adopted_on'])}, før partnerskabets portal.",
    )
    return services.goal_version_publish(version=version, by=by, today=spec["effective_date"])


def _translate(version: GoalVersion, spec: dict | None, by) -> None:
    """Write the English the secretariat has for the version, through the one route for English text."""
    if not spec:
        return
    fields = {f"{name}_en": spec[name] for name in ("title", "statement", "scope", "transition_note") if name in spec}
    ordered = list(version.criteria.order_by("position", "number"))
    criteria = {
        criterion.pk: {"text_en": text, "documentation_en": documentation, "guidance_en": guidance}
        for criterion, (text, documentation, guidance) in zip(ordered, spec.get("criteria", ()), strict=False)
    }
    services.goal_version_english_update(version=version, by=by, fields=fields, criteria=criteria)


def _create_goal(spec: dict, area: ProductArea, by) -> None:
    first, *later = spec["versions"]
    version = services.goal_create(
        number=spec["number"],
        title=first["title"],
        product_area=area,
        statement=first["statement"],
        scope=first["scope"],
        slug=spec["slug"],
        by=by,
    )
    version = _update_version(version, {k: v for k, v in first.items() if k not in ("title", "statement", "scope")}, by)
    for criterion in first["criteria"]:
        _add_criterion(version, criterion, by)
    version = _advance(version, first, by)
    _translate(version, ENGLISH.get(spec["number"]), by)
    for revision in later:
        version = services.goal_version_draft_start(goal=version.goal, by=by)
        version = _update_version(version, revision, by)
        _revise_criteria(version, revision, by)
        version = _advance(version, revision, by)
    if spec.get("withdrawn"):
        services.goal_version_withdraw(version=version, by=by, reason="Målet er lagt sammen med et andet indkøbsmål.")


def _create_plans(by, today: date) -> int:
    created = 0
    for code, rows in PLAN_ROWS.items():
        organisation = Organisation.objects.filter(country="DK", official_code=code).first()
        if organisation is None or ImplementationPlan.objects.filter(organisation=organisation).exists():
            continue
        plan = services.implementation_plan_create(organisation=organisation, by=by)
        by_goal = {row.goal_version.goal.number: row for row in plan.rows.select_related("goal_version__goal")}
        for number, days, status, note in rows:
            row = by_goal.get(number)
            if row is None:
                continue
            services.implementation_plan_row_update(
                row=row, by=by, expected_by=today + timedelta(days=days), status=status, note=note
            )
        created += 1
    return created


def summary() -> dict[str, int]:
    return {
        "goals": Goal.objects.count(),
        "versions": GoalVersion.objects.count(),
        "criteria": Criterion.objects.count(),
        "implementation_plans": ImplementationPlan.objects.count(),
    }


@transaction.atomic
def load() -> dict[str, int]:
    """Create the demo goals and plans that do not exist yet; return the totals."""
    reference.load()
    by = User.objects.filter(email=SECRETARIAT_EMAIL).first()
    areas = {area.slug: area for area in ProductArea.objects.all()}
    existing = set(Goal.objects.values_list("number", flat=True))
    for spec in GOALS:
        if spec["number"] not in existing:
            _create_goal(spec, areas[spec["area"]], by)
    _create_plans(by, timezone.localdate())
    return summary()
