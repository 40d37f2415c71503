"""The six starting articles, so every site has them; admins can edit them afterwards.

The text lives here rather than in app code, so this migration keeps installing the same
articles whatever later code does. Rendering uses the app's pure Markdown function, which
has no database access. `install_articles` is idempotent (an article whose slug exists is
left alone), so tests can call it again after a database flush.
"""

from datetime import timedelta

from django.db import migrations
from django.utils import timezone

CATEGORIES = [
    {
        "slug": "how-it-works",
        "name": "How it works",
        "description": "Why magnesium matters for insulin and blood glucose.",
        "position": 1,
    },
    {
        "slug": "eating-well",
        "name": "Eating well",
        "description": "Getting magnesium from everyday food.",
        "position": 2,
    },
    {
        "slug": "supplements",
        "name": "Supplements and safety",
        "description": "Choosing a supplement, and when to ask first.",
        "position": 3,
    },
]

TAGS = {
    "insulin-resistance": "Insulin resistance",
    "type-2-diabetes": "Type 2 diabetes",
    "food": "Food",
    "supplements": "Supplements",
    "safety": "Safety",
    "kidneys": "Kidney disease",
    "medicines": "Medicines",
}

ODS = {
    "title": "Magnesium: Fact Sheet for Health Professionals",
    "publisher": "National Institutes of Health, Office of Dietary Supplements",
    "url": "https://ods.od.nih.gov/factsheets/Magnesium-HealthProfessional/",
    "note": "Intake recommendations, food sources, absorption, interactions with medicines and safety.",
}
ODS_CONSUMER = {
    "title": "Magnesium: Fact Sheet for Consumers",
    "publisher": "National Institutes of Health, Office of Dietary Supplements",
    "url": "https://ods.od.nih.gov/factsheets/Magnesium-Consumer/",
    "note": "",
}
IOM = {
    "title": "Dietary Reference Intakes for Calcium, Phosphorus, Magnesium, Vitamin D, and Fluoride (1997)",
    "publisher": "Institute of Medicine, Food and Nutrition Board; National Academies Press",
    "url": "https://nap.nationalacademies.org/catalog/5776",
    "note": "The source of the recommended intakes and of the upper limit for supplemental magnesium.",
}
SR28 = {
    "title": "USDA National Nutrient Database for Standard Reference, Release 28",
    "publisher": "U.S. Department of Agriculture, Agricultural Research Service",
    "url": "https://fdc.nal.usda.gov/",
    "note": "Public domain; available today as SR Legacy in FoodData Central. Figures are per 100 g of the food as described.",
}
COHORTS = {
    "title": "Prospective cohort studies, and meta-analyses of them, on dietary magnesium and the risk of type 2 diabetes",
    "publisher": "",
    "url": "",
    "note": "Observational research summarised in the NIH fact sheet: it shows an association, not proof of cause.",
}
TRIALS = {
    "title": "Randomised controlled trials, and meta-analyses of them, of oral magnesium on fasting glucose and insulin sensitivity",
    "publisher": "",
    "url": "",
    "note": "Mostly small and short trials; effects were clearest in people whose magnesium was low at the start.",
}
MECHANISMS = {
    "title": "Laboratory and physiological studies of magnesium in insulin-receptor signalling, GLUT4 glucose transport and Mg-ATP-dependent enzymes",
    "publisher": "",
    "url": "",
    "note": "Cell, animal and human physiology work that explains the mechanism; on its own it does not show a benefit in people.",
}
ABSORPTION = {
    "title": "Comparative absorption studies of commercial magnesium preparations",
    "publisher": "",
    "url": "",
    "note": "The basis for the finding that magnesium oxide is poorly absorbed compared with soluble forms.",
}
ADA = {
    "title": "Standards of Care in Diabetes",
    "publisher": "American Diabetes Association, updated every year in the journal Diabetes Care",
    "url": "",
    "note": "Does not recommend routine vitamin or mineral supplements for glucose control in people without a deficiency.",
}
FORMULAS = {
    "title": "Elemental magnesium by weight, computed from each compound's formula",
    "publisher": "",
    "url": "",
    "note": "Number of magnesium atoms × 24.305 (the standard atomic weight of magnesium) ÷ the compound's molar mass.",
}

CYCLE = """
Insulin resistance and low magnesium tend to turn up together, and each one makes the other
more likely. This article explains that loop in plain terms and what you can do about it.

## What insulin resistance means

After a meal, insulin is the signal that tells muscle, fat and liver cells to take glucose out
of the blood. With insulin resistance those cells answer the signal less readily. The pancreas
makes up for it by releasing more insulin, and for a long time that extra effort can keep blood
glucose in the normal range. It is still a strain, and it is the road along which many people
move towards prediabetes and type 2 diabetes.

## Where magnesium comes in

Magnesium is a mineral that more than 300 enzymes rely on, including many of those that turn
glucose into energy. When the body runs short, several steps in the way a cell receives and acts
on insulin's message work less well. The cell responds more weakly to insulin, which is exactly
what insulin resistance is. The article
[How magnesium helps insulin work](/articles/how-magnesium-helps-insulin-work/) goes through these
steps one by one.

## How the loop closes

The influence also runs in the opposite direction. When insulin stays high for long periods, as it
does while the body compensates for insulin resistance, the kidneys hold on to less magnesium and
more of it leaves in the urine. Very high blood glucose adds to the loss: once glucose spills into
the urine it draws extra water with it, and magnesium is washed out too.

Put as a sequence:

1. Low magnesium weakens the cell's response to insulin.
2. The pancreas releases more insulin to compensate.
3. High insulin, and high glucose, make the kidneys lose more magnesium.
4. Magnesium drops further, insulin works less well still, and the loop goes round again.

A shortage can therefore help keep going the very problem that enough magnesium would ease.

## What studies have found

- **Low magnesium is common in type 2 diabetes.** Low blood magnesium (hypomagnesaemia) is found
  more often in people with type 2 diabetes than in people without it.
- **Higher intakes go with lower risk.** Large studies that followed people for years found that
  those who ate more magnesium were less likely to develop type 2 diabetes. Studies of this kind
  show a link, not proof that magnesium was the cause.
- **Correcting a shortfall can help.** Trials that gave magnesium supplements found modest
  improvements in insulin sensitivity or fasting glucose, mainly in people who were low in
  magnesium to begin with.

Magnesium is one piece of the picture. It does not cure insulin resistance or diabetes, and it
does not replace the medicines or plan your care team has agreed with you.

## How much you need

The recommended daily intake for adults is 400 to 420 mg for men and 310 to 320 mg for women,
depending on age, and 350 to 400 mg during pregnancy (Food and Nutrition Board, 1997, as
summarised by the NIH Office of Dietary Supplements). Many people eat less than this.

## A blood test is only part of the story

Almost all of the body's magnesium sits in bone and inside cells; less than 1 % circulates in the
blood. A typical reference range for serum magnesium is about 0.75 to 0.95 mmol/L (1.8 to
2.3 mg/dL). A normal result makes a severe shortage unlikely, but it cannot rule out body stores
that are on the low side.

## Breaking the cycle

Because the loop can start from either side, it helps to work on both:

- **Eat magnesium-rich foods every day**: [[category:leafy-greens|leafy greens]],
  [[category:nuts-and-seeds|nuts and seeds]], [[category:legumes|beans and lentils]] and
  [[category:whole-grains|whole grains]]. The article
  [Foods that supply magnesium](/articles/magnesium-rich-foods/) has the figures.
- **Ease the demand for insulin** with what your care team already recommends: regular movement,
  meals built around vegetables, pulses and whole grains, and a weight that is right for you.
- **Ask about a supplement only if there is a reason**, such as a measured deficiency. The article
  [When a supplement makes sense](/articles/when-to-consider-a-magnesium-supplement/) explains
  when to talk to a clinician first.
"""

MECHANISM = """
Magnesium does not act on blood glucose through a single switch. It supports several steps, from
the moment insulin reaches a cell to the point where glucose is used for energy. Knowing these
steps makes it easier to see why a shortage shows up as insulin resistance.

## A mineral that enzymes depend on

Magnesium helps more than 300 enzymes do their work. Many of them use ATP, the cell's energy
currency, and inside cells ATP is almost always bound to magnesium. What these enzymes actually
handle is the pair, known as Mg-ATP. When magnesium is short, every step that needs Mg-ATP can slow
down, and glucose metabolism has a lot of those steps.

## 1. Switching on the insulin receptor

Insulin passes its message on by docking with a receptor on the cell surface. Part of that receptor
is an enzyme, a tyrosine kinase, which attaches phosphate groups to the receptor itself and then to
the proteins that carry the signal inwards. That phosphate transfer uses Mg-ATP.

With too little magnesium, the receptor's kinase works less efficiently. The signal that reaches
the inside of the cell is weaker, and the cell behaves as though less insulin had arrived. This
reduced response is the core of insulin resistance.

## 2. Moving glucose into the cell: GLUT4

Muscle and fat cells take up glucose through a transporter called GLUT4. Between meals most GLUT4
waits inside the cell; the insulin signal moves it to the cell surface, where it lets glucose in.
In experimental studies, giving magnesium increased both the amount of GLUT4 and its movement to
the cell membrane, and glucose uptake improved with it. A weaker insulin signal, or a shortage of
magnesium, means fewer transporters at the surface and more glucose left in the blood.

## 3. Using glucose: hexokinase and glucokinase

Once glucose is inside, the first thing a cell does is attach a phosphate group to it. This keeps
the glucose in the cell and starts it on the way to being burned or stored. Two related enzymes do
this job:

- **Hexokinase**, in most tissues, including muscle.
- **Glucokinase**, in the liver and in the insulin-making beta cells of the pancreas, where it helps
  the cells sense how much glucose is around.

Both use Mg-ATP. When magnesium is low they work more slowly, glucose is used less briskly, and
blood glucose tends to run higher.

## 4. Calming inflammation and oxidative stress

Long-lasting, low-level inflammation and oxidative stress (damage from reactive oxygen molecules)
interfere with insulin signalling and make insulin resistance worse. People with low magnesium
often have higher markers of inflammation, and magnesium has anti-inflammatory and antioxidant
effects that help keep these processes in check. Enough magnesium therefore supports insulin
sensitivity indirectly as well as directly.

## What this means for you

| Step | What magnesium does | What happens when it is short |
|:--|:--|:--|
| Insulin receptor | Supplies Mg-ATP for the receptor's tyrosine kinase | Weaker insulin signal |
| GLUT4 | Supports the amount and movement of the glucose transporter | Less glucose taken up by muscle and fat |
| Hexokinase and glucokinase | Supplies Mg-ATP for the first step of glucose use | Glucose used more slowly |
| Inflammation and oxidative stress | Helps keep them in check | More interference with insulin signalling |

Most of this detail comes from laboratory and physiology research. It explains why low magnesium
matters, but it does not mean that extra magnesium beyond what you need will lower glucose further.
The aim is to avoid a shortfall, mainly through food: see
[Foods that supply magnesium](/articles/magnesium-rich-foods/). Magnesium is not a treatment for
diabetes and does not replace any medicine you have been prescribed.
"""

FOODS = """
Food is the best and safest way to get magnesium. Many everyday foods supply it, and the ones that
supply the most also bring fibre and other nutrients that help with blood glucose. The figures
below come from the USDA National Nutrient Database for Standard Reference (SR28).

## How much you need each day

Adult men need 400 to 420 mg a day and adult women 310 to 320 mg, depending on age; during
pregnancy the figure is 350 to 400 mg. The Daily Value printed on US food labels is 420 mg. Only
part of the magnesium in food is absorbed, roughly 30 to 40 %, and the body adjusts how much it
takes up to what it needs.

## The richest sources, per 100 g

| Food | Magnesium (mg per 100 g) |
|:--|--:|
| [[Pumpkin seed kernels, dried\\|pumpkin seed kernels dried]] | 592 |
| [[Pumpkin seed kernels, roasted\\|pumpkin seed kernels roasted]] | 550 |
| [[Chia seeds\\|chia seeds]] | 335 |
| [[Cashews, raw\\|cashew nuts raw]] | 292 |
| [[Almonds\\|almonds]] | 270 |
| [[Dark chocolate, 70–85 % cocoa\\|chocolate dark 70-85% cacao]] | 228 |
| [[Spinach, boiled\\|spinach cooked boiled]] | 87 |
| [[Swiss chard, raw\\|chard swiss raw]] | 81 |
| [[Spinach, raw\\|spinach raw]] | 79 |
| [[Black beans, boiled\\|black beans boiled]] | 70 |
| [[Edamame\\|edamame]] | 64 |
| [[Quinoa, cooked\\|quinoa cooked]] | 64 |
| [[Kale, raw\\|kale raw]] | 47 |
| [[Brown rice, cooked\\|brown rice cooked]] | 39–44 |
| [[Lentils, boiled\\|lentils boiled]] | 36 |
| [[Avocado\\|avocado raw]] | 29 |

Per 100 g, seeds and nuts lead by far, but people eat them in small amounts. Greens, beans and
grains are lower per 100 g and are eaten in bigger portions, so they add up.

## What a portion gives you

Worked out from the figures above:

- Half a cup of boiled spinach (90 g): about 78 mg.
- A small handful of roasted pumpkin seeds (30 g): about 165 mg.
- 30 g of almonds: about 81 mg.
- 25 g of chia seeds (roughly two tablespoons): about 84 mg.
- A cup of cooked quinoa (185 g): about 118 mg.
- Half a cup of boiled black beans (86 g): about 60 mg.
- Half an avocado (about 100 g): about 29 mg.
- Two squares of dark chocolate (20 g): about 46 mg.

## A day that reaches the target

One way to reach about 420 mg without any supplement:

- **Breakfast**: yoghurt or porridge with 25 g of chia seeds (84 mg).
- **Lunch**: a salad of 60 g raw spinach (47 mg) with half a cup of black beans (60 mg).
- **Snack**: 30 g of almonds (81 mg).
- **Dinner**: a cup of cooked quinoa (118 mg) with half an avocado (29 mg).

That comes to about 419 mg before counting anything else on the plate.

## Food groups to lean on

- **[[category:leafy-greens|Leafy greens]]**: chard, spinach and, to a lesser degree, kale. Cooked
  spinach shrinks a lot, so a cooked portion holds more than the same volume raw.
- **[[category:nuts-and-seeds|Nuts and seeds]]**: pumpkin and chia seeds lead, with cashews and
  almonds close behind. They are rich in energy, so a small handful is a portion.
- **[[category:legumes|Legumes]]**: black beans and edamame, then lentils. They add protein and
  fibre and tend to raise blood glucose gently.
- **[[category:whole-grains|Whole grains]]**: cooked quinoa and brown rice, oats and wholemeal
  bread. Much of a grain's magnesium sits in the bran and germ, which refining removes, so white
  flour and white rice have far less.
- **[[category:avocado|Avocado]]**: a modest source that is easy to add to meals.
- **[[category:dark-chocolate|Dark chocolate]]**: choose 70 % cocoa or more and keep to a square or
  two, since it also brings sugar and fat.

## Fitting this into a diabetes-friendly diet

Legumes and whole grains contain carbohydrate, so count them the way your meal plan already does.
Nuts, seeds and greens add magnesium with very little carbohydrate. If you take medicines that
lower glucose, change your diet in steps and keep checking your glucose as your care team advises.

You can compare foods by magnesium per 100 g, per portion and per 100 kcal on the
[magnesium-rich foods](/foods/magnesium-rich/) page, and look up any food in the
[food search](/foods/).
"""

FOOD_VS_SUPPLEMENTS = """
Magnesium from a plate of beans and greens and magnesium from a tablet end up as the same mineral,
but the way you get there differs. For most people food should come first; supplements have a
place when there is a clear reason for them.

## The two side by side

| | Magnesium from food | Magnesium supplements |
|:--|:--|:--|
| What it is | Whole foods such as [[category:leafy-greens\\|leafy greens]], [[category:nuts-and-seeds\\|nuts, seeds]], [[category:legumes\\|beans]] and [[category:whole-grains\\|whole grains]] | Magnesium compounds (citrate, glycinate, oxide and others) as tablets, capsules, powders or liquids |
| Absorption | Depends on the food and the rest of the meal; the body takes up more when it needs more | Depends on the form: forms that dissolve well, such as citrate, chloride, lactate and aspartate, are absorbed better than oxide |
| What else comes with it | Fibre, potassium, vitamins, other minerals and protective plant compounds | A measured amount of one nutrient |
| Risks | Very low: healthy kidneys clear any excess, and there is no upper limit for food | Diarrhoea and stomach cramps at higher doses; interactions with some medicines; build-up when the kidneys are not working well |
| Upper limit | None for magnesium that occurs naturally in food | 350 mg a day from supplements and medicines for adults and children from 9 |
| Best used for | Preventing a shortfall and keeping levels up day after day | Correcting a diagnosed deficiency or a known cause of loss, with advice from a clinician |

## Why food comes first

- **It brings company.** The foods richest in magnesium also carry fibre, which slows the rise in
  blood glucose after a meal, and potassium, which helps blood pressure.
- **It is hard to overdo.** Your kidneys remove the extra from food, so there is no upper limit for
  dietary magnesium in healthy people.
- **It lasts.** Habits such as a handful of seeds or a bowl of beans keep working long after a bottle
  of tablets runs out.

See [Foods that supply magnesium](/articles/magnesium-rich-foods/) for the figures and a sample
day.

## Where supplements fit

A supplement delivers a precise dose and can raise a low level faster than diet alone. That makes
it useful when:

- a blood test or your clinician has found a deficiency;
- you lose more magnesium than usual, for example because of long-term acid-reducing medicines,
  some diuretics, or persistently high blood glucose;
- your diet cannot supply enough for a period of time.

Professional diabetes guidelines do not recommend routine mineral supplements for glucose control
in people who are not deficient. If you are thinking of starting one, read
[Choosing a magnesium supplement](/articles/choosing-a-magnesium-supplement/) and
[When a supplement makes sense](/articles/when-to-consider-a-magnesium-supplement/), and talk it
through with your doctor, pharmacist or dietitian.

## Counting both

If you take a supplement, count it separately from food. The upper limit of 350 mg a day for
adults applies only to magnesium from supplements and medicines, such as some antacids and
laxatives; food never counts towards it. Your diary on this site keeps the two apart for exactly
this reason.
"""

FORMS = """
Supplement shelves hold a dozen kinds of magnesium. They differ in how much magnesium each pill
really contains, how well it is absorbed and how likely it is to upset your stomach. This guide
helps you read a label and compare them. Talk to your clinician before you start, especially if
you have kidney disease or take medicines.

## Elemental magnesium: the number that matters

Magnesium in a supplement is always bound to something else: oxygen, citrate, glycine and so on.
The weight of the whole compound is not the amount of magnesium you get. What counts is the
**elemental** magnesium.

US supplement labels usually state the elemental amount already, for example "Magnesium (as
magnesium citrate) 200 mg". If a label gives only the weight of the compound, multiply it by the
share of magnesium in that compound:

- 500 mg of magnesium citrate × 16.2 % ≈ 81 mg of magnesium.
- 400 mg of magnesium oxide × 60.3 % ≈ 241 mg of magnesium.
- 1,000 mg of magnesium glycinate × 14.1 % ≈ 141 mg of magnesium.

## The common forms compared

| Form | Magnesium by weight | Absorption | Laxative effect |
|:--|--:|:--|:--|
| Oxide | 60.3 % | Poor: about 4 % in one comparison | Marked |
| Hydroxide | 41.7 % | No clear comparison | Marked; sold as an antacid and laxative |
| Carbonate | 28.8 % | No clear comparison | Marked |
| Citrate | 16.2 % | Better than oxide | Marked, especially at higher doses |
| Malate | 15.5 % | No clear comparison | Less marked |
| Glycinate (bisglycinate) | 14.1 % | No clear comparison | Less marked |
| Chloride | 12.0 % | Better than oxide | Marked |
| Lactate | 12.0 % | Better than oxide | Less marked |
| Sulfate (Epsom salt) | 9.9 % | No clear comparison | Marked; sold as a laxative |
| Taurate | 8.9 % | No clear comparison | Less marked |
| Aspartate | 8.4 % | Better than oxide | Less marked |
| L-threonate | 8.3 % | No clear comparison | Less marked |
| Orotate | 7.3 % | No clear comparison | Less marked |
| Gluconate | 5.9 % | No clear comparison | Less marked |

The percentages are calculated from each compound's chemical formula. "No clear comparison"
means there is too little head-to-head evidence to rank the form, not that it is poorly absorbed.

## Absorption

Forms that dissolve well in water are taken up more completely. Citrate, chloride, lactate and
aspartate are absorbed better than oxide; in one comparison only about 4 % of the magnesium in
magnesium oxide was absorbed. Oxide packs a lot of magnesium into a small tablet, which is why it is
cheap and common, but less of it reaches the blood. How much you absorb also depends on the dose:
smaller amounts spread over the day are absorbed better than one large dose.

## Effects on the gut

Magnesium that is not absorbed draws water into the bowel. That is why the first sign of too much
supplemental magnesium is loose stools or diarrhoea, sometimes with cramps or nausea. The effect is
most marked with citrate, carbonate, oxide, hydroxide, sulfate and chloride; some of these are sold
as laxatives for that reason. If your stomach is sensitive:

- start with a low dose and increase slowly;
- split the daily amount into two or three doses, taken with meals;
- consider a form with a milder effect, such as glycinate.

## Newer and specialty forms

Threonate, taurate and orotate contain little magnesium per gram, so you need bigger or more pills
for the same dose. Claims that one of them has special effects on the brain, heart or blood
glucose are not well established. For raising a low magnesium level, the amount of elemental
magnesium and how well you tolerate it matter more than the brand story.

## Before you buy: a short checklist

1. **Is there a reason?** A measured deficiency or a known cause of loss; see
   [When a supplement makes sense](/articles/when-to-consider-a-magnesium-supplement/).
2. **How much elemental magnesium per dose?** Check the label or work it out as above.
3. **Will you stay under the upper limit?** For adults, supplements and medicines together should
   not exceed 350 mg of magnesium a day unless a clinician advises otherwise. Food does not count
   towards this limit.
4. **Does it suit your gut?** Choose a gentler form or a split dose if needed.
5. **Does it clash with your medicines or kidneys?** Ask your pharmacist or doctor.
"""

WHEN = """
Most people can meet their magnesium needs from food. A supplement makes sense in particular
situations, and there are a few in which you should talk to a clinician before taking one at all.

## When a supplement can help

- **A diagnosed deficiency.** Your doctor has found low magnesium in a blood test, or symptoms and
  circumstances point clearly to it.
- **Ongoing losses.** Some conditions and medicines make the body lose magnesium: persistently
  high blood glucose, long-term use of proton-pump inhibitors (acid-reducing medicines such as
  omeprazole), loop diuretics (such as furosemide) and thiazide diuretics (such as
  hydrochlorothiazide), and bowel conditions that reduce absorption.
- **A diet that falls short for a while**, when food changes alone cannot close the gap.

Magnesium does not treat diabetes, and professional diabetes guidelines do not recommend routine
mineral supplements for glucose control in people who are not deficient. A supplement is a way of
correcting a shortfall, not a substitute for food or prescribed treatment.

## Talk to a clinician first if…

### You have kidney disease

Healthy kidneys remove extra magnesium. When they work less well, magnesium from supplements, and
from antacids and laxatives that contain it, can build up in the blood. Very high levels cause low
blood pressure, nausea, flushing, muscle weakness, drowsiness and an irregular heartbeat, and can be
dangerous. If you have chronic kidney disease or reduced kidney function, do not take magnesium
unless your kidney team advises it.

### You take certain medicines

- **Tetracycline antibiotics** (such as doxycycline), **quinolone antibiotics** (such as
  ciprofloxacin or levofloxacin) and **bisphosphonates** for bone health (such as alendronate):
  magnesium binds to them in the gut and stops them being absorbed properly. Take magnesium 2 to 4
  hours apart from these medicines; your pharmacist can tell you the exact spacing for yours.
- **Proton-pump inhibitors** taken for a long time, and **loop or thiazide diuretics**, lower
  magnesium. Ask whether your level should be checked, rather than adding a supplement on your own.
- **Potassium-sparing diuretics** (such as amiloride or spironolactone) do the opposite and reduce
  magnesium loss. Mention them too, since they change how much magnesium your body keeps.

### You are pregnant or breastfeeding, or the supplement is for a child

Needs and limits are different; ask your midwife, doctor or the child's doctor.

## The upper limit

For adults, and for children from the age of 9, the upper limit for magnesium from supplements and
medicines is **350 mg a day** (65 mg for ages 1 to 3, 110 mg for ages 4 to 8). This limit is about
supplements, antacids and laxatives only: magnesium that occurs naturally in food does not count
towards it. A clinician may advise a higher dose for a diagnosed deficiency and will then keep an
eye on it.

The first sign of too much is usually diarrhoea. Stop and seek advice if you have persistent
diarrhoea, feel weak, drowsy or light-headed, or notice an irregular heartbeat.

## Questions to take to your appointment

- Is my magnesium low, and should it be tested?
- Do any of my medicines lower magnesium or interact with it?
- Are my kidneys working well enough for a supplement?
- Which form and what daily dose of elemental magnesium, and for how long?
- When should we check again?

## Keeping track

If you do take a supplement, log it in your [diary](/diary/) along with your meals. The diary counts
supplement magnesium separately from food, warns you when supplements go over the upper limit, and
reminds you to talk to your clinician if your profile says you have kidney disease. For choosing a
form, see [Choosing a magnesium supplement](/articles/choosing-a-magnesium-supplement/).
"""

ARTICLES = [
    {
        "slug": "magnesium-and-insulin-resistance-vicious-cycle",
        "title": "The vicious cycle: low magnesium and insulin resistance",
        "summary": "Low magnesium makes insulin work less well, and the high insulin that follows makes the kidneys lose more magnesium. How the loop works, and how to break it.",
        "body": CYCLE,
        "category": "how-it-works",
        "tags": ["insulin-resistance", "type-2-diabetes"],
        "references": [ODS, IOM, COHORTS, TRIALS, ADA],
    },
    {
        "slug": "how-magnesium-helps-insulin-work",
        "title": "How magnesium helps insulin work",
        "summary": "From the insulin receptor to GLUT4 and the Mg-ATP enzymes hexokinase and glucokinase: the steps where magnesium matters, and what a shortage changes.",
        "body": MECHANISM,
        "category": "how-it-works",
        "tags": ["insulin-resistance", "type-2-diabetes"],
        "references": [ODS, MECHANISMS, TRIALS],
    },
    {
        "slug": "magnesium-rich-foods",
        "title": "Foods that supply magnesium",
        "summary": "Seeds, nuts, leafy greens, beans and whole grains, with USDA figures per 100 g and per portion, and a sample day that reaches the target from food alone.",
        "body": FOODS,
        "category": "eating-well",
        "tags": ["food", "insulin-resistance"],
        "references": [SR28, ODS, IOM],
    },
    {
        "slug": "food-versus-supplements",
        "title": "Magnesium from food or from supplements?",
        "summary": "A side-by-side comparison of getting magnesium from food and from supplements: absorption, benefits, risks and when each makes sense.",
        "body": FOOD_VS_SUPPLEMENTS,
        "category": "eating-well",
        "tags": ["food", "supplements"],
        "references": [ODS, ODS_CONSUMER, IOM, ADA],
    },
    {
        "slug": "choosing-a-magnesium-supplement",
        "title": "Choosing a magnesium supplement",
        "summary": "Oxide, citrate, glycinate and more: how much magnesium each form really contains, how well it is absorbed and which ones are hardest on the stomach.",
        "body": FORMS,
        "category": "supplements",
        "tags": ["supplements", "safety"],
        "references": [ODS, FORMULAS, ABSORPTION, IOM],
    },
    {
        "slug": "when-to-consider-a-magnesium-supplement",
        "title": "When a supplement makes sense, and when to ask first",
        "summary": "Who may benefit from a magnesium supplement, why kidney disease and some medicines call for a conversation first, and the 350 mg upper limit for adults.",
        "body": WHEN,
        "category": "supplements",
        "tags": ["supplements", "safety", "kidneys", "medicines"],
        "references": [ODS, ODS_CONSUMER, IOM, ADA],
    },
]


def install_articles(apps, schema_editor):
    from nutrition.content.rendering import render_markdown

    Category = apps.get_model("content", "Category")
    Tag = apps.get_model("content", "Tag")
    Article = apps.get_model("content", "Article")
    Reference = apps.get_model("content", "Reference")
    HistoricalArticle = apps.get_model("content", "HistoricalArticle")

    categories = {
        data["slug"]: Category.objects.get_or_create(slug=data["slug"], defaults=data)[0]
        for data in CATEGORIES
    }
    tags = {
        slug: Tag.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in TAGS.items()
    }
    now = timezone.now()
    for index, data in enumerate(ARTICLES):
        if Article.objects.filter(slug=data["slug"]).exists():
            continue  # already installed, perhaps edited since: leave it as it is
        rendered = render_markdown(data["body"].strip())
        # A minute apart, the first article newest, so lists open with the introduction.
        published_at = now - timedelta(minutes=index)
        article = Article.objects.create(
            slug=data["slug"],
            title=data["title"],
            summary=data["summary"],
            body=data["body"].strip(),
            body_html=rendered.html,
            toc=rendered.toc,
            food_links=rendered.food_links,
            reading_time_minutes=rendered.reading_time_minutes,
            status="published",
            published_at=published_at,
            category=categories[data["category"]],
        )
        article.tags.set([tags[slug] for slug in data["tags"]])
        for position, ref in enumerate(data["references"]):
            Reference.objects.create(article=article, position=position, **ref)
        if HistoricalArticle.objects.filter(id=article.id).exists():
            continue  # the live model's history signal already wrote one (when run from tests)
        HistoricalArticle.objects.create(
            id=article.id,
            slug=article.slug,
            title=article.title,
            summary=article.summary,
            body=article.body,
            reading_time_minutes=article.reading_time_minutes,
            status=article.status,
            published_at=article.published_at,
            category_id=article.category_id,
            author_id=None,
            created_at=article.created_at,
            updated_at=article.updated_at,
            history_date=now,
            history_type="+",
            history_change_reason="Installed with the site",
        )


def remove_articles(apps, schema_editor):
    Category = apps.get_model("content", "Category")
    Tag = apps.get_model("content", "Tag")
    Article = apps.get_model("content", "Article")
    HistoricalArticle = apps.get_model("content", "HistoricalArticle")

    slugs = [data["slug"] for data in ARTICLES]
    HistoricalArticle.objects.filter(slug__in=slugs).delete()
    Article.objects.filter(slug__in=slugs).delete()
    # Categories and tags go only if nothing else uses them now.
    Category.objects.filter(
        slug__in=[data["slug"] for data in CATEGORIES], articles__isnull=True
    ).delete()
    Tag.objects.filter(slug__in=list(TAGS), articles__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("content", "0001_initial")]

    operations = [migrations.RunPython(install_articles, remove_articles)]
