"""The sample knowledge articles (issue 13): a handful of lessons and news of the pilot, written
into `<data>/knowledge/` by `tambon sample`, each marked `sample: true` and saying in its text
that it is invented. Their tambons are the pilot's (by place in the code order, so any set of
codes gets articles about its own tambons), their partners the sample partners package's.

Pure: the same codes and partners give the same bytes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

import yaml

from tambon_portal.core import gazetteer, settings
from tambon_portal.core.schemas import articles as schema

# The page of a sample article says it is invented (`sample: true`); its text says what is real.
NOTE = "*ชื่อพื้นที่และภาคีเป็นของจริง ส่วนเหตุการณ์ ตัวเลข และกิจกรรมสมมุติขึ้น*"


@dataclass(frozen=True)
class Story:
    slug: str
    date: str  # CE
    title: str
    title_en: str
    summary: str
    picks: tuple[int, ...]  # which tambons, by place in the sorted codes
    categories: tuple[str, ...]
    partners: tuple[str, ...]  # partner ids; {t} is the first tambon's code, {p} the province
    authors: tuple[str, ...]
    body: str  # {t1}, {t2}: ตำบล<name>; {d1}: อำเภอ<name> of the first; {prov}: จังหวัด<name>


STORIES: tuple[Story, ...] = (
    Story(
        "2568-10-rubber-coop", "2025-10-15",
        "กลุ่มแปรรูปยางแผ่น{t1} รวมกันขาย ได้ราคาดีขึ้น",
        "A rubber-sheet group sells together and gets a better price",
        "สมาชิกกลุ่มแปรรูปยางแผ่นรมควันรวมผลผลิตขายผ่านตลาดกลาง ราคาที่ได้สูงกว่าขายเดี่ยว"
        " และกันเงินส่วนหนึ่งเข้ากองทุนกลุ่ม",
        (0,), ("income",), ("lg-{t}", "council-{t}", "cdd-{p}"), ("council-{t}",),
        """## เริ่มจากปัญหาราคายาง

ครัวเรือนส่วนใหญ่ของ{t1} {d1} มีรายได้หลักจากสวนยาง เมื่อราคายางแผ่นตกต่ำ
แต่ละครัวเรือนขายให้พ่อค้าคนกลางรายย่อยได้ราคาต่ำ เวทีประชาคมของตำบลจึงยกเรื่องนี้ขึ้นเป็นประเด็นแรก
ในแผนแม่บทชุมชน

## สิ่งที่ทำ

- รวมสมาชิก 42 ครัวเรือนตั้งกลุ่มแปรรูปยางแผ่นรมควัน ใช้โรงรมควันร่วมกัน
- นัดวันขายรวมเดือนละสองครั้งผ่านตลาดกลางยางพารา
- กันเงินกิโลกรัมละ 50 สตางค์เข้ากองทุนกลุ่ม สำหรับซ่อมเครื่องรีดยาง

## ผลที่เห็น

หลังหกเดือน ราคาที่สมาชิกได้สูงกว่าการขายเดี่ยวเฉลี่ยกิโลกรัมละ 3 บาท
กองทุนกลุ่มมีเงินหมุนเวียนพอซ่อมเครื่องรีดยางเองโดยไม่ต้องกู้

## บทเรียน

การรวมกลุ่มได้ผลเมื่อมีกติกาที่สมาชิกตกลงกันเอง และมีคนกลางที่ชุมชนไว้ใจ
ทีมสภาองค์กรชุมชนตำบลเป็นผู้ประสานกับสำนักงานพัฒนาชุมชนจังหวัดในการอบรมการทำบัญชีกลุ่ม
""",
    ),
    Story(
        "2568-12-household-accounts", "2025-12-05",
        "บัญชีครัวเรือนช่วยลดหนี้: บทเรียนจาก{t1}และ{t2}",
        "Household accounts that cut debt: lessons from two tambons",
        "ครัวเรือนที่จดบัญชีรับจ่ายต่อเนื่องหนึ่งปีเห็นรายจ่ายที่ลดได้ และวางแผนชำระหนี้นอกระบบก่อน",
        (1, 7), ("debt",), ("cdd-{p}", "codi"), ("cdd-{p}",),
        """## ทำไมต้องจดบัญชี

ข้อมูล จปฐ. ของ{t1}และ{t2}ชี้ว่าหนี้สินครัวเรือนเป็นปัญหาที่ตัวชี้วัดยังไม่ผ่านมากที่สุดข้อหนึ่ง
ทั้งสองตำบลจึงเลือกเรื่องบัญชีครัวเรือนเป็นโครงการแรกของหมวดหนี้สินและการออม

## วิธีทำ

1. อาสาสมัครในแต่ละหมู่บ้านช่วยสอนการจดบัญชีรับจ่ายแบบง่าย วันละไม่เกินห้านาที
2. ทุกเดือนมีวงคุยในหมู่บ้าน เทียบรายจ่ายที่ลดได้ โดยไม่มีใครต้องเปิดบัญชีของตน
3. ครัวเรือนที่มีหนี้นอกระบบวางแผนชำระก้อนที่ดอกเบี้ยสูงที่สุดก่อน

## ผลและข้อควรระวัง

ครัวเรือนที่จดต่อเนื่องครบปีบอกว่ารายจ่ายค่าเครื่องดื่มและค่าโทรศัพท์ลดลงชัดเจน
แต่ครึ่งหนึ่งของผู้เริ่มจดเลิกกลางทาง บทเรียนคือวงคุยรายเดือนสำคัญกว่าสมุดบัญชี
""",
    ),
    Story(
        "2569-01-groundwater-bank", "2026-01-20",
        "ธนาคารน้ำใต้ดินในสวนผสม {t1}",
        "Groundwater banks in mixed orchards",
        "ชุมชนขุดบ่อเติมน้ำฝนลงใต้ดินในสวนผสม ช่วยให้บ่อตื้นมีน้ำใช้นานขึ้นในหน้าแล้ง",
        (3,), ("agriculture", "environment"), ("agriculture-{p}", "council-{t}",
                                               "walailak-university"), ("council-{t}",),
        """## ที่มา

หน้าแล้งที่ผ่านมาบ่อตื้นหลายหมู่บ้านของ{t1} {d1} แห้งก่อนฝนมา
แผนแม่บทชุมชนจึงมีโครงการธนาคารน้ำใต้ดินในหมวดเกษตรและแหล่งน้ำ

## สิ่งที่ทำ

- ขุดบ่อเติมน้ำแบบปิดในสวนของสมาชิกที่สมัครใจ 15 แปลง ใส่หินและวัสดุกรอง
- นักวิจัยจากมหาวิทยาลัยช่วยวัดระดับน้ำในบ่อตื้นข้างเคียงทุกเดือน
- สำนักงานเกษตรจังหวัดแนะนำพืชที่ใช้น้ำน้อยปลูกแซมในสวนยาง

## ผลที่วัดได้

ระดับน้ำในบ่อตื้นใกล้จุดเติมน้ำลดลงช้ากว่าบ่อที่อยู่ไกลออกไป
ผลยังเป็นของหนึ่งฤดูเท่านั้น ต้องวัดต่ออีกอย่างน้อยสองปีก่อนสรุป
""",
    ),
    Story(
        "2569-02-home-care", "2026-02-10",
        "อาสาสมัครดูแลผู้สูงอายุติดบ้าน {t1}",
        "Volunteers caring for housebound older people",
        "อาสาสมัครในหมู่บ้านเยี่ยมผู้สูงอายุติดบ้านติดเตียงสัปดาห์ละครั้ง ร่วมกับโรงพยาบาลส่งเสริมสุขภาพตำบล",
        (5,), ("health",), ("health-{p}", "lg-{t}"), ("lg-{t}",),
        """## ปัญหาที่ชุมชนเห็น

ผู้สูงอายุที่อยู่บ้านลำพังใน{t1}มีมากขึ้นทุกปี ลูกหลานออกไปทำงานต่างจังหวัด
ในเวทีทำแผนแม่บทชุมชน เรื่องนี้ถูกยกเป็นปัญหาสุขภาพลำดับต้น

## สิ่งที่ทำ

- อาสาสมัครหมู่บ้านละสามคนผ่านการอบรมการดูแลเบื้องต้นกับโรงพยาบาลส่งเสริมสุขภาพตำบล
- เยี่ยมบ้านสัปดาห์ละครั้ง บันทึกอาการลงแบบฟอร์มกลางที่ไม่ระบุตัวบุคคล
- องค์กรปกครองส่วนท้องถิ่นจัดงบซื้ออุปกรณ์ที่นอนลมให้ยืม

## บทเรียน

การเยี่ยมสม่ำเสมอทำให้พบอาการผิดปกติเร็วขึ้น
ความยากคือการรักษาอาสาสมัครไว้ ชุมชนจึงตั้งกองทุนเล็ก ๆ เป็นค่าเดินทาง
""",
    ),
    Story(
        "2569-03-provincial-forum", "2026-03-05",
        "เวทีแลกเปลี่ยนเรียนรู้ตำบลนำร่อง: จากแผนตำบลสู่แผน{prov}",
        "A learning forum of the pilot tambons: from tambon plans to the provincial plan",
        "ตัวแทนตำบลนำร่อง หน่วยงานจังหวัด และภาคีวิชาการ ร่วมทบทวนแผนแม่บทชุมชน"
        " และเลือกประเด็นร่วมที่จะยกขึ้นสู่แผนพัฒนาจังหวัด",
        (0, 1, 3, 5), ("governance",),
        ("pmua", "walailak-university", "province-{p}", "network-{p}"), ("network-{p}",),
        """## เวทีนี้คืออะไร

ทุกปีตัวแทนตำบลนำร่องของ{prov}มาพบกันหนึ่งวัน เพื่อเล่าว่าแผนแม่บทชุมชนของตนไปถึงไหน
ปีนี้มีตัวแทนจาก{t1} {t2} {t3} และ{t4} มาเล่าเรื่องของตนบนเวที

## ประเด็นร่วมที่เลือก

1. รายได้จากยางพาราและการแปรรูป
2. หนี้สินครัวเรือนและการออม
3. การดูแลผู้สูงอายุในชุมชน

## ข้อตกลง

ภาคีวิชาการจะช่วยทำข้อมูลตำบลให้เทียบกันได้ทั้งจังหวัด
หน่วยงานจังหวัดจะนำประเด็นร่วมทั้งสามเข้าสู่การทบทวนแผนพัฒนาจังหวัดรอบถัดไป
ข้อมูลและแผนของทุกตำบลนำร่องเปิดให้ดูได้ในพอร์ทัลนี้
""",
    ),
)  # fmt: skip


def _names(codes: Sequence[str], picks: Sequence[int]) -> list[str]:
    """The codes a story is about: its picks, in the sorted codes, once each."""
    chosen: list[str] = []
    for pick in picks:
        code = codes[pick % len(codes)]
        if code not in chosen:
            chosen.append(code)
    return chosen


def _fill(text: str, tambons: Sequence[str], province: str) -> str:
    words: dict[str, str] = {}
    for i in range(4):
        place = gazetteer.tambon(tambons[i % len(tambons)])
        words[f"t{i + 1}"] = f"ตำบล{place.name_th}" if place else tambons[i % len(tambons)]
    district = gazetteer.district(tambons[0][:4])
    words["d1"] = f"อำเภอ{district.name_th}" if district else ""
    where = gazetteer.province(province)
    words["prov"] = f"จังหวัด{where.name_th}" if where else province
    return text.format(**words)


def article_text(story: Story, codes: Sequence[str], partner_ids: Collection[str]) -> str:
    """One story as an article file: front matter (`core.schemas.articles`) and text."""
    tambons = _names(sorted(codes), story.picks)
    province = tambons[0][:2]

    def ids(items: Sequence[str]) -> list[str]:
        made = [i.format(t=tambons[0], p=province) for i in items]
        return [i for i in made if i in partner_ids]

    front = {
        "title": _fill(story.title, tambons, province),
        "title_en": story.title_en,
        "date": story.date,
        "authors": ids(story.authors) or [_fill("เครือข่ายองค์กรชุมชน{prov}", tambons, province)],
        "summary": story.summary,
        "tambons": tambons,
        "categories": list(story.categories),
        "partners": ids(story.partners),
        "licence": settings.LICENCE_ID,
        "sample": True,
    }
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=1000)
    return f"---\n{head}---\n\n{_fill(story.body, tambons, province)}\n{NOTE}\n"


def article_files(codes: Sequence[str], partner_ids: Collection[str]) -> dict[str, str]:
    """File name -> text of every sample article about the tambons `codes` (one province's)."""
    if not codes:
        return {}
    return {f"{s.slug}{schema.SUFFIX}": article_text(s, codes, partner_ids) for s in STORIES}
