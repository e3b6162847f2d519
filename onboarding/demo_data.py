"""Realistic catalog and partners for the demo shop: a Shanghai 便利店 (convenience and grocery store).

`demo_catalog_seed()` runs inside the demo tenant's schema (onboarding/demo.py calls it) and writes only
through the catalog and partners services, so the demo data obeys the same rules as what a merchant types.
Everything is generated from the lists below with a fixed random seed: every run builds the same shop.
Warehouses and stock movements belong to the inventory module and are not seeded here."""

import logging
import random
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from modules.catalog import services as catalog
from modules.catalog.domain import ean_check_digit
from modules.catalog.models import Brand, Category, Item, Unit
from modules.partners import services as partners
from modules.partners.domain import credit_code_check_char
from modules.partners.models import Partner, PriceTier

logger = logging.getLogger(__name__)

SEED = 20260101
CENT = Decimal("0.01")
VAT_STANDARD = Decimal("0.13")
# Grain, edible vegetable oil, edible salt and plain (sterilised or pasteurised) milk are taxed at 9 %
# as agricultural products; yoghurt and milk drinks are processed foods at 13 %.
VAT_AGRICULTURAL = Decimal("0.09")

UNITS = ["瓶", "罐", "箱", "提", "包", "袋", "盒", "个", "条", "支", "块", "桶", "件", "kg"]

# Top categories, each with its SKU prefix and subcategories (the tree the shop browses).
CATEGORIES: dict[str, tuple[str, list[str]]] = {
    "饮料": ("YL", ["碳酸饮料", "茶饮料", "饮用水", "果汁", "功能饮料", "咖啡"]),
    "乳制品": ("RZ", ["常温奶", "低温奶", "酸奶", "乳饮料"]),
    "酒类": ("JL", ["啤酒", "白酒", "黄酒"]),
    "零食": ("LS", ["饼干", "糖果", "坚果", "膨化食品"]),
    "方便食品": ("FB", ["方便面", "罐头"]),
    "粮油调味": ("LY", ["大米", "食用油", "酱油醋", "调味料"]),
    "日用百货": ("RY", ["纸品", "清洁用品", "个人护理"]),
    "服装": ("FZ", ["文化衫", "购物袋"]),
}

# Subcategories whose items are agricultural products for VAT.
AGRICULTURAL = {"大米", "食用油", "常温奶", "低温奶"}
# Lot tracking matters where expiry does: dairy.
LOT_TRACKED_TOP = {"乳制品"}


@dataclass(frozen=True)
class Size:
    label: str  # appended to the product name ("500ml"); empty when the name says it already
    unit: str  # the base unit
    sale: str  # retail price of one base unit
    packs: tuple[tuple[str, int], ...] = ()  # further units: (unit, base units in it), e.g. ("箱", 24)


@dataclass(frozen=True)
class Line:
    category: str  # "top/sub"
    brand: str | None  # None: sold loose without a brand
    products: list[str | tuple[str, str]]  # a name, or (name, price factor) for a dearer or cheaper kind
    sizes: list[Size]
    shelf_life_days: int | None = None
    extra: dict = field(default_factory=dict)


def _s(label, unit, sale, *packs):
    return Size(label, unit, sale, tuple(packs))


CAN = _s("330ml", "罐", "3.00", ("箱", 24), ("提", 6))
BOTTLE_500 = _s("500ml", "瓶", "3.50", ("箱", 24))

LINES: list[Line] = [
    # 饮料 -------------------------------------------------------------------------------------------
    Line(
        "饮料/碳酸饮料",
        "可口可乐",
        ["可口可乐", "零度可口可乐", "雪碧", "芬达橙味"],
        [CAN, BOTTLE_500, _s("1.25L", "瓶", "5.50", ("箱", 12)), _s("2L", "瓶", "7.50", ("箱", 6))],
        365,
    ),
    Line(
        "饮料/碳酸饮料",
        "百事",
        ["百事可乐", "百事可乐无糖", "七喜", "美年达橙味"],
        [CAN, BOTTLE_500, _s("2L", "瓶", "7.00", ("箱", 6))],
        365,
    ),
    Line(
        "饮料/饮用水",
        "农夫山泉",
        ["农夫山泉饮用天然水"],
        [
            _s("380ml", "瓶", "1.50", ("箱", 24)),
            _s("550ml", "瓶", "2.00", ("箱", 24)),
            _s("1.5L", "瓶", "3.50", ("箱", 12)),
            _s("4L", "桶", "7.50", ("箱", 6)),
            _s("5L", "桶", "9.00", ("箱", 4)),
        ],
        730,
    ),
    Line(
        "饮料/饮用水",
        "怡宝",
        ["怡宝纯净水"],
        [
            _s("555ml", "瓶", "2.00", ("箱", 24)),
            _s("1.555L", "瓶", "4.00", ("箱", 12)),
            _s("4.5L", "桶", "9.00", ("箱", 4)),
        ],
        730,
    ),
    Line(
        "饮料/饮用水",
        "百岁山",
        ["百岁山天然矿泉水"],
        [
            _s("348ml", "瓶", "2.50", ("箱", 24)),
            _s("570ml", "瓶", "3.00", ("箱", 24)),
            _s("1.5L", "瓶", "5.00", ("箱", 12)),
        ],
        730,
    ),
    Line(
        "饮料/茶饮料",
        "康师傅",
        ["康师傅冰红茶", "康师傅绿茶", "康师傅茉莉清茶", "康师傅冰糖雪梨", "康师傅酸梅汤", "康师傅大红袍"],
        [_s("500ml", "瓶", "3.00", ("箱", 15)), _s("1L", "瓶", "5.00", ("箱", 12))],
        365,
    ),
    Line(
        "饮料/茶饮料",
        "统一",
        ["统一冰红茶", "统一绿茶", "统一阿萨姆奶茶", "小茗同学青柠红茶"],
        [_s("500ml", "瓶", "3.50", ("箱", 15)), _s("1L", "瓶", "5.50", ("箱", 12))],
        365,
    ),
    Line(
        "饮料/茶饮料",
        "农夫山泉",
        ["东方树叶茉莉花茶", "东方树叶乌龙茶", "东方树叶青柑普洱", "茶π柠檬红茶", "茶π西柚茉莉花茶"],
        [_s("500ml", "瓶", "5.00", ("箱", 15))],
        365,
    ),
    Line(
        "饮料/果汁",
        "汇源",
        ["汇源100%橙汁", "汇源100%苹果汁", "汇源100%桃汁"],
        [_s("1L", "盒", "12.90", ("箱", 12))],
        365,
    ),
    Line(
        "饮料/果汁",
        "农夫山泉",
        ["农夫山泉NFC橙汁", "农夫山泉NFC苹果香蕉汁"],
        [_s("300ml", "瓶", "8.00", ("箱", 24)), _s("900ml", "瓶", "19.90", ("箱", 12))],
        120,
    ),
    Line(
        "饮料/果汁",
        "可口可乐",
        ["美汁源果粒橙"],
        [_s("420ml", "瓶", "3.50", ("箱", 12)), _s("1.25L", "瓶", "8.00", ("箱", 12))],
        365,
    ),
    Line(
        "饮料/果汁",
        "统一",
        ["统一鲜橙多"],
        [_s("450ml", "瓶", "3.50", ("箱", 15)), _s("1.5L", "瓶", "6.50", ("箱", 6))],
        365,
    ),
    Line("饮料/功能饮料", "红牛", ["红牛维生素功能饮料"], [_s("250ml", "罐", "6.00", ("箱", 24), ("提", 6))], 540),
    Line(
        "饮料/功能饮料",
        "东鹏",
        ["东鹏特饮"],
        [_s("250ml", "瓶", "4.00", ("箱", 24)), _s("500ml", "瓶", "6.00", ("箱", 15))],
        365,
    ),
    Line(
        "饮料/功能饮料",
        "脉动",
        ["脉动青柠味", "脉动水蜜桃味", "脉动菠萝味"],
        [_s("600ml", "瓶", "5.00", ("箱", 15)), _s("1.5L", "瓶", "8.50", ("箱", 8))],
        365,
    ),
    Line(
        "饮料/咖啡",
        "雀巢",
        ["雀巢丝滑拿铁", "雀巢香滑咖啡"],
        [_s("268ml", "瓶", "6.00", ("箱", 15))],
        365,
    ),
    Line("饮料/咖啡", "雀巢", ["雀巢1+2原味速溶咖啡 15条装"], [_s("", "盒", "22.90", ("箱", 24))], 540),
    # 乳制品 (lot-tracked: the shop sells the soonest expiry first) ----------------------------------
    Line(
        "乳制品/常温奶",
        "伊利",
        ["伊利纯牛奶", ("伊利金典纯牛奶", "1.6")],
        [
            _s("200ml", "盒", "2.80", ("箱", 24)),
            _s("250ml", "盒", "3.50", ("箱", 24)),
            _s("1L", "盒", "12.00", ("箱", 12)),
        ],
        180,
    ),
    Line(
        "乳制品/常温奶",
        "蒙牛",
        ["蒙牛纯牛奶", ("特仑苏纯牛奶", "1.6")],
        [
            _s("200ml", "盒", "2.80", ("箱", 24)),
            _s("250ml", "盒", "3.50", ("箱", 24)),
            _s("1L", "盒", "12.00", ("箱", 12)),
        ],
        180,
    ),
    Line(
        "乳制品/常温奶",
        "光明",
        ["光明纯牛奶"],
        [_s("200ml", "盒", "2.80", ("箱", 24)), _s("250ml", "盒", "3.50", ("箱", 24))],
        180,
    ),
    Line(
        "乳制品/低温奶",
        "光明",
        ["光明优倍鲜牛奶", "光明新鲜牧场牛奶"],
        [_s("450ml", "瓶", "9.50", ("箱", 12)), _s("950ml", "瓶", "17.80", ("箱", 8))],
        7,
    ),
    Line(
        "乳制品/酸奶",
        "伊利",
        ["安慕希原味酸奶", "安慕希黄桃燕麦酸奶"],
        [_s("205g", "盒", "5.50", ("箱", 12))],
        150,
    ),
    Line("乳制品/酸奶", "蒙牛", ["纯甄原味酸奶", "纯甄草莓果粒酸奶"], [_s("200g", "盒", "5.00", ("箱", 12))], 150),
    Line("乳制品/酸奶", "光明", ["光明莫斯利安原味酸奶"], [_s("200g", "盒", "5.50", ("箱", 12))], 150),
    Line(
        "乳制品/酸奶", "光明", ["光明如实发酵乳原味", "光明如实发酵乳蓝莓"], [_s("135g", "瓶", "6.50", ("箱", 12))], 21
    ),
    Line(
        "乳制品/乳饮料",
        "旺旺",
        ["旺仔牛奶"],
        [_s("145ml", "罐", "4.00", ("箱", 24), ("提", 4)), _s("245ml", "罐", "6.00", ("箱", 24))],
        360,
    ),
    Line(
        "乳制品/乳饮料",
        "伊利",
        ["伊利优酸乳原味", "伊利QQ星儿童成长牛奶"],
        [_s("250ml", "盒", "3.00", ("箱", 24))],
        180,
    ),
    Line("乳制品/乳饮料", "娃哈哈", ["娃哈哈AD钙奶"], [_s("220g", "瓶", "2.00", ("箱", 24), ("提", 4))], 270),
    # 酒类 -------------------------------------------------------------------------------------------
    Line(
        "酒类/啤酒",
        "青岛啤酒",
        ["青岛啤酒经典", ("青岛啤酒纯生", "1.3"), ("青岛啤酒白啤", "1.4"), "青岛啤酒崂山"],
        [_s("330ml", "罐", "4.50", ("箱", 24), ("提", 6)), _s("500ml", "罐", "6.00", ("箱", 12))],
        365,
    ),
    Line(
        "酒类/啤酒",
        "雪花",
        ["雪花勇闯天涯", ("雪花纯生", "1.2"), "雪花清爽"],
        [_s("330ml", "罐", "4.00", ("箱", 24), ("提", 6)), _s("500ml", "罐", "5.50", ("箱", 12))],
        365,
    ),
    Line(
        "酒类/啤酒",
        "百威",
        ["百威啤酒"],
        [_s("330ml", "罐", "6.00", ("箱", 24)), _s("500ml", "罐", "8.00", ("箱", 12))],
        365,
    ),
    Line(
        "酒类/白酒",
        "红星",
        ["红星二锅头56度", "红星二锅头43度"],
        [_s("150ml", "瓶", "8.00", ("箱", 24)), _s("500ml", "瓶", "18.00", ("箱", 12))],
    ),
    Line("酒类/白酒", "牛栏山", ["牛栏山陈酿42度"], [_s("500ml", "瓶", "15.00", ("箱", 12))]),
    Line("酒类/白酒", "洋河", ["洋河海之蓝52度"], [_s("480ml", "瓶", "158.00", ("箱", 6))]),
    Line(
        "酒类/黄酒",
        "石库门",
        ["石库门上海老酒红标", ("石库门上海老酒黑标", "1.6")],
        [_s("500ml", "瓶", "15.00", ("箱", 12))],
    ),
    Line("酒类/黄酒", "古越龙山", ["古越龙山花雕酒五年陈"], [_s("500ml", "瓶", "25.00", ("箱", 12))]),
    Line("酒类/黄酒", "和酒", ["和酒五年陈"], [_s("500ml", "瓶", "18.00", ("箱", 12))]),
    # 零食 -------------------------------------------------------------------------------------------
    Line(
        "零食/饼干",
        "奥利奥",
        ["奥利奥原味夹心饼干", "奥利奥巧克力味夹心饼干", "奥利奥草莓味夹心饼干", "奥利奥薄脆"],
        [_s("97g", "包", "6.50", ("箱", 24)), _s("194g", "包", "11.90", ("箱", 12))],
        270,
    ),
    Line(
        "零食/饼干",
        "旺旺",
        ["旺旺雪饼", "旺旺仙贝"],
        [_s("84g", "袋", "6.50", ("箱", 24)), _s("400g", "袋", "22.90", ("箱", 8))],
        270,
    ),
    Line("零食/饼干", "康师傅", ["康师傅3+2苏打夹心饼干"], [_s("125g", "包", "6.50", ("箱", 24))], 270),
    Line("零食/饼干", "达利园", ["达利园蛋黄派", "达利园瑞士卷"], [_s("250g", "盒", "12.80", ("箱", 12))], 180),
    Line(
        "零食/糖果",
        "大白兔",
        ["大白兔奶糖", "大白兔红豆奶糖"],
        [_s("114g", "袋", "9.90", ("箱", 30)), _s("227g", "袋", "16.90", ("箱", 20))],
        540,
    ),
    Line(
        "零食/糖果",
        "德芙",
        ["德芙丝滑牛奶巧克力", "德芙黑巧克力", "德芙榛仁巧克力"],
        [_s("43g", "条", "8.90", ("盒", 12))],
        360,
    ),
    Line("零食/糖果", "旺旺", ["旺仔QQ糖"], [_s("20g", "包", "2.50", ("盒", 20))], 360),
    Line(
        "零食/糖果",
        "益达",
        ["益达木糖醇口香糖薄荷味", "益达木糖醇口香糖西瓜味"],
        [_s("40粒", "瓶", "12.90", ("箱", 24))],
        540,
    ),
    Line(
        "零食/坚果",
        "三只松鼠",
        [("三只松鼠每日坚果", "2.5"), "三只松鼠夏威夷果", "三只松鼠碧根果", ("三只松鼠开心果", "1.3")],
        [_s("160g", "袋", "19.90", ("箱", 20))],
        240,
    ),
    Line(
        "零食/坚果",
        "洽洽",
        ["洽洽香瓜子", "洽洽焦糖瓜子", "洽洽山核桃瓜子"],
        [_s("108g", "袋", "5.90", ("箱", 40)), _s("260g", "袋", "11.90", ("箱", 20))],
        240,
    ),
    Line(
        "零食/膨化食品",
        "乐事",
        ["乐事原味薯片", "乐事黄瓜味薯片", "乐事意大利香浓红烩味薯片", "乐事青柠味薯片"],
        [
            _s("40g", "袋", "4.00", ("箱", 50)),
            _s("70g", "袋", "7.00", ("箱", 22)),
            _s("135g", "袋", "12.50", ("箱", 12)),
        ],
        270,
    ),
    Line("零食/膨化食品", "旺旺", ["旺旺浪味仙"], [_s("70g", "袋", "6.00", ("箱", 24))], 270),
    Line(
        "零食/膨化食品",
        "上好佳",
        ["上好佳鲜虾片", "上好佳洋葱圈"],
        [_s("40g", "袋", "3.50", ("箱", 50)), _s("80g", "袋", "6.00", ("箱", 30))],
        270,
    ),
    # 方便食品 ---------------------------------------------------------------------------------------
    Line(
        "方便食品/方便面",
        "康师傅",
        ["康师傅红烧牛肉面", "康师傅老坛酸菜牛肉面", "康师傅香辣牛肉面", "康师傅鲜虾鱼板面", "康师傅酸辣牛肉面"],
        [
            _s("袋装", "袋", "3.50", ("箱", 24)),
            _s("桶装", "桶", "5.50", ("箱", 12)),
            _s("五连包", "包", "15.90", ("箱", 6)),
        ],
        180,
    ),
    Line(
        "方便食品/方便面",
        "统一",
        ["统一老坛酸菜牛肉面", "统一来一桶红烧牛肉面", ("汤达人日式豚骨拉面", "1.5")],
        [_s("袋装", "袋", "3.50", ("箱", 24)), _s("桶装", "桶", "5.50", ("箱", 12))],
        180,
    ),
    Line(
        "方便食品/方便面",
        "白象",
        ["白象汤好喝老母鸡汤面"],
        [_s("袋装", "袋", "4.00", ("箱", 24)), _s("桶装", "桶", "6.00", ("箱", 12))],
        180,
    ),
    Line(
        "方便食品/罐头",
        "梅林",
        ["梅林午餐肉"],
        [_s("198g", "罐", "12.80", ("箱", 24)), _s("340g", "罐", "19.80", ("箱", 24))],
        1080,
    ),
    Line("方便食品/罐头", "梅林", ["梅林红烧扣肉", "梅林茄汁黄豆"], [_s("227g", "罐", "13.50", ("箱", 24))], 1080),
    # 粮油调味 ---------------------------------------------------------------------------------------
    Line(
        "粮油调味/大米",
        "金龙鱼",
        ["金龙鱼东北大米", ("金龙鱼乳玉皇妃稻香贡米", "1.4")],
        [
            _s("2.5kg", "袋", "21.90", ("件", 8)),
            _s("5kg", "袋", "39.90", ("件", 4)),
            _s("10kg", "袋", "75.90", ("件", 2)),
        ],
        365,
    ),
    Line(
        "粮油调味/大米",
        "福临门",
        ["福临门东北大米"],
        [_s("5kg", "袋", "36.90", ("件", 4)), _s("10kg", "袋", "69.90", ("件", 2))],
        365,
    ),
    # Loose rice is weighed out by the kilogram and bought in by the 25 kg sack.
    Line("粮油调味/大米", None, ["崇明大米 散装"], [_s("", "kg", "6.80", ("袋", 25))], 365),
    Line(
        "粮油调味/食用油",
        "金龙鱼",
        ["金龙鱼黄金比例调和油", ("金龙鱼花生油", "1.5"), "金龙鱼玉米油"],
        [
            _s("900ml", "瓶", "16.90", ("箱", 12)),
            _s("1.8L", "瓶", "29.90", ("箱", 6)),
            _s("5L", "桶", "69.90", ("箱", 4)),
        ],
        540,
    ),
    Line(
        "粮油调味/食用油",
        "福临门",
        ["福临门大豆油", "福临门葵花籽油"],
        [_s("1.8L", "瓶", "25.90", ("箱", 6)), _s("5L", "桶", "62.90", ("箱", 4))],
        540,
    ),
    Line(
        "粮油调味/食用油",
        "鲁花",
        ["鲁花5S压榨一级花生油"],
        [_s("900ml", "瓶", "29.90", ("箱", 12)), _s("5L", "桶", "149.90", ("箱", 4))],
        540,
    ),
    Line(
        "粮油调味/酱油醋",
        "海天",
        ["海天金标生抽", "海天老抽王", "海天草菇老抽", ("海天味极鲜酱油", "1.3"), "海天陈醋"],
        [_s("500ml", "瓶", "8.90", ("箱", 12)), _s("1.9L", "瓶", "24.90", ("箱", 6))],
        720,
    ),
    Line("粮油调味/酱油醋", "恒顺", ["恒顺镇江香醋", "恒顺香醋"], [_s("500ml", "瓶", "7.50", ("箱", 12))], 1080),
    Line(
        "粮油调味/酱油醋",
        "李锦记",
        ["李锦记薄盐生抽", "李锦记旧庄特级蚝油"],
        [_s("500ml", "瓶", "12.90", ("箱", 12))],
        720,
    ),
    Line(
        "粮油调味/调味料",
        "太太乐",
        ["太太乐鸡精"],
        [_s("200g", "袋", "9.90", ("箱", 40)), _s("454g", "袋", "19.90", ("箱", 20))],
        540,
    ),
    Line("粮油调味/调味料", "中盐", ["中盐加碘精制盐"], [_s("400g", "袋", "2.50", ("箱", 50))], 1080),
    Line(
        "粮油调味/调味料",
        "老干妈",
        ["老干妈风味豆豉油制辣椒", "老干妈油辣椒", "老干妈香辣脆油辣椒"],
        [_s("280g", "瓶", "11.50", ("箱", 24))],
        540,
    ),
    # 日用百货 ---------------------------------------------------------------------------------------
    Line(
        "日用百货/纸品",
        "维达",
        ["维达超韧抽纸"],
        [_s("3层100抽×6包", "提", "19.90", ("箱", 8)), _s("3层130抽×3包", "提", "12.90", ("箱", 12))],
    ),
    Line("日用百货/纸品", "维达", ["维达棉韧卷纸"], [_s("4层140g×10卷", "提", "29.90", ("箱", 6))]),
    Line("日用百货/纸品", "维达", ["维达手帕纸"], [_s("4层×10包", "条", "5.90", ("箱", 48))]),
    Line("日用百货/纸品", "心相印", ["心相印茶语抽纸"], [_s("3层120抽×6包", "提", "21.90", ("箱", 8))]),
    Line("日用百货/纸品", "心相印", ["心相印卷纸"], [_s("3层200g×10卷", "提", "32.90", ("箱", 6))]),
    Line("日用百货/纸品", "心相印", ["心相印湿巾"], [_s("80片", "包", "12.90", ("箱", 24))]),
    Line("日用百货/纸品", "清风", ["清风原木纯品抽纸"], [_s("3层120抽×6包", "提", "18.90", ("箱", 8))]),
    Line(
        "日用百货/清洁用品",
        "立白",
        ["立白洗洁精"],
        [_s("1.1kg", "瓶", "9.90", ("箱", 12)), _s("1.45kg", "瓶", "12.50", ("箱", 8))],
    ),
    Line(
        "日用百货/清洁用品",
        "立白",
        ["立白洗衣液"],
        [_s("2kg", "瓶", "29.90", ("箱", 6)), _s("3kg", "瓶", "39.90", ("箱", 4))],
    ),
    Line(
        "日用百货/清洁用品",
        "蓝月亮",
        ["蓝月亮深层洁净洗衣液"],
        [_s("1kg", "瓶", "19.90", ("箱", 12)), _s("3kg", "瓶", "49.90", ("箱", 4))],
    ),
    Line("日用百货/清洁用品", "蓝月亮", ["蓝月亮洗手液"], [_s("500g", "瓶", "16.90", ("箱", 12))]),
    Line("日用百货/清洁用品", "奥妙", ["奥妙洗衣粉"], [_s("1.7kg", "袋", "25.90", ("箱", 8))]),
    Line(
        "日用百货/个人护理",
        "高露洁",
        ["高露洁全面防蛀牙膏", "高露洁冰爽薄荷牙膏"],
        [_s("90g", "支", "8.90", ("箱", 72)), _s("140g", "支", "12.90", ("箱", 48))],
        1080,
    ),
    Line("日用百货/个人护理", "高露洁", ["高露洁软毛牙刷"], [_s("", "支", "9.90", ("盒", 12))]),
    Line(
        "日用百货/个人护理",
        "云南白药",
        ["云南白药牙膏留兰香型", "云南白药牙膏薄荷清爽型"],
        [_s("150g", "支", "29.90", ("箱", 48))],
        1080,
    ),
    Line(
        "日用百货/个人护理",
        "舒肤佳",
        ["舒肤佳纯白清香型香皂", "舒肤佳柠檬清新型香皂"],
        [_s("100g", "块", "5.50", ("箱", 72))],
        1080,
    ),
    Line(
        "日用百货/个人护理",
        "海飞丝",
        ["海飞丝去屑洗发水清爽型"],
        [_s("200ml", "瓶", "29.90", ("箱", 24)), _s("400ml", "瓶", "52.90", ("箱", 12))],
        1080,
    ),
]

# Items sold in variants: (category, brand, code, name, base unit, sale price, {attribute: values}).
VARIANT_ITEMS = [
    (
        "服装/文化衫",
        "上海印象",
        "FZ0001",
        "上海印象文化衫 纯棉圆领",
        "件",
        "59.00",
        {"颜色": ["白", "黑", "藏青"], "尺码": ["S", "M", "L", "XL"]},
    ),
    ("服装/购物袋", "好邻居", "FZ0002", "好邻居环保帆布袋", "个", "15.00", {"颜色": ["米白", "墨绿", "砖红"]}),
]

# Shanghai district division codes (GB/T 2260), used in credit codes and addresses.
DISTRICTS = {
    "黄浦区": "310101",
    "徐汇区": "310104",
    "长宁区": "310105",
    "静安区": "310106",
    "普陀区": "310107",
    "虹口区": "310109",
    "杨浦区": "310110",
    "闵行区": "310112",
    "宝山区": "310113",
    "嘉定区": "310114",
    "浦东新区": "310115",
    "松江区": "310117",
    "青浦区": "310118",
}

# (code, name, district, street address, brands supplied (None: whatever no one else supplies), payment days)
SUPPLIERS = [
    ("G001", "上海农夫山泉饮料有限公司", "闵行区", "莘庄工业区申富路 518 号", ["农夫山泉"], 30),
    ("G002", "上海申美可口可乐饮料有限公司", "闵行区", "华宁路 3000 号", ["可口可乐"], 30),
    ("G003", "上海百事可乐饮料有限公司", "徐汇区", "漕宝路 1568 号", ["百事"], 30),
    ("G004", "上海顶津康师傅饮品有限公司", "松江区", "九亭镇九新公路 339 号", ["康师傅"], 30),
    ("G005", "上海统一企业饮料食品有限公司", "浦东新区", "康桥东路 1001 号", ["统一"], 30),
    ("G006", "上海伊利乳业销售有限公司", "静安区", "共和新路 1301 号", ["伊利"], 15),
    ("G007", "上海蒙牛乳制品销售有限公司", "普陀区", "真北路 958 号", ["蒙牛"], 15),
    ("G008", "上海光明乳业配送有限公司", "闵行区", "吴中路 578 号", ["光明"], 7),
    ("G009", "上海旺旺食品有限公司", "长宁区", "虹桥路 1438 号", ["旺旺"], 30),
    ("G010", "上海亿滋食品贸易有限公司", "浦东新区", "张江路 88 号", ["奥利奥", "益达", "德芙"], 45),
    ("G011", "上海金龙鱼粮油食品有限公司", "浦东新区", "高东路 118 号", ["金龙鱼", "福临门", "鲁花"], 30),
    ("G012", "上海海天调味食品销售有限公司", "嘉定区", "曹安公路 2299 号", ["海天", "李锦记", "太太乐", "中盐"], 45),
    ("G013", "上海维达纸业销售有限公司", "宝山区", "蕰川路 6 号", ["维达", "清风"], 60),
    ("G014", "上海恒安心相印纸制品有限公司", "青浦区", "华新镇华志路 123 号", ["心相印"], 60),
    ("G015", "上海青岛啤酒销售有限公司", "杨浦区", "军工路 1300 号", ["青岛啤酒", "雪花", "百威"], 30),
    ("G016", "上海西郊百联食品批发有限公司", "长宁区", "北翟路 1500 号", None, 15),
    ("G017", "上海思锐服饰有限公司", "虹口区", "四川北路 1666 号", ["上海印象", "好邻居"], 30),
]
# The wholesaler also buys the shop's slow movers, so it is a supplier and a customer.
BOTH_KINDS = {"G016"}

# (code, name, district, street address, price tier, payment days, credit limit, kind of registration)
CUSTOMERS = [
    ("K001", "上海张江科技园员工食堂", "浦东新区", "碧波路 690 号", PriceTier.TIER1, 30, "80000.00", "company"),
    (
        "K002",
        "上海陆家嘴金融城物业管理有限公司",
        "浦东新区",
        "陆家嘴环路 1000 号",
        PriceTier.TIER2,
        30,
        "50000.00",
        "company",
    ),
    ("K003", "上海市徐汇区康健街道社区食堂", "徐汇区", "康健路 138 号", PriceTier.TIER1, 30, "30000.00", "public"),
    ("K004", "上海市长宁区天山路第一小学", "长宁区", "天山路 355 号", PriceTier.TIER1, 60, "40000.00", "public"),
    ("K005", "上海静安寺街道老年活动中心", "静安区", "常德路 500 号", PriceTier.TIER2, 30, "10000.00", "public"),
    ("K006", "上海五角场万达广场写字楼行政部", "杨浦区", "淞沪路 77 号", PriceTier.TIER2, 30, "30000.00", "company"),
    ("K007", "上海漕河泾云帆软件有限公司", "徐汇区", "宜山路 700 号", PriceTier.TIER2, 30, "20000.00", "company"),
    ("K008", "上海虹桥商务区会展服务有限公司", "闵行区", "申长路 988 号", PriceTier.TIER1, 45, "60000.00", "company"),
    ("K009", "上海宝山区友谊路小卖部", "宝山区", "友谊路 1588 号", PriceTier.WHOLESALE, 0, "5000.00", "individual"),
    (
        "K010",
        "上海普陀区曹杨新村便民超市",
        "普陀区",
        "兰溪路 120 号",
        PriceTier.WHOLESALE,
        15,
        "20000.00",
        "individual",
    ),
    ("K011", "上海虹口区多伦路烟杂店", "虹口区", "多伦路 200 号", PriceTier.WHOLESALE, 0, "3000.00", "individual"),
    ("K012", "上海黄浦区南京东路快捷酒店", "黄浦区", "南京东路 479 号", PriceTier.TIER2, 30, "25000.00", "company"),
    ("K013", "上海嘉定区安亭镇工地食堂", "嘉定区", "安亭镇墨玉路 185 号", PriceTier.TIER1, 15, "15000.00", "company"),
    ("K014", "上海松江大学城学生超市", "松江区", "文汇路 1688 号", PriceTier.WHOLESALE, 30, "40000.00", "company"),
    ("K015", "上海青浦区朱家角民宿", "青浦区", "朱家角镇北大街 168 号", PriceTier.TIER3, 15, "8000.00", "individual"),
    ("K016", "上海浦东新区世纪公园健身房", "浦东新区", "锦绣路 1001 号", PriceTier.TIER3, 30, "10000.00", "company"),
    ("K017", "上海徐汇滨江咖啡馆", "徐汇区", "龙腾大道 2555 号", PriceTier.TIER3, 15, "5000.00", "individual"),
    ("K018", "上海长宁区古北社区幼儿园", "长宁区", "古北路 1000 号", PriceTier.TIER1, 60, "20000.00", "public"),
    ("K019", "上海静安区南京西路律师事务所", "静安区", "南京西路 1266 号", PriceTier.RETAIL, 30, "5000.00", "company"),
    (
        "K020",
        "上海闵行区莘庄地铁站便利亭",
        "闵行区",
        "莘庄镇莘建东路 1 号",
        PriceTier.WHOLESALE,
        7,
        "10000.00",
        "individual",
    ),
]

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高"
GIVEN = [
    "伟",
    "芳",
    "娜",
    "敏",
    "静",
    "丽",
    "强",
    "磊",
    "军",
    "洋",
    "勇",
    "艳",
    "杰",
    "娟",
    "涛",
    "明",
    "超",
    "秀英",
    "建华",
    "海燕",
]
BANKS = [
    "中国工商银行",
    "中国建设银行",
    "中国农业银行",
    "中国银行",
    "交通银行",
    "上海银行",
    "招商银行",
    "上海浦东发展银行",
]
# The first two characters of a credit code: who registered the body and what kind it is.
REGISTRATION = {"company": "91", "individual": "92", "public": "12"}


@dataclass
class SeedResult:
    items: int = 0
    suppliers: int = 0
    customers: int = 0
    supplier_items: int = 0


def _money(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _retail(value: Decimal) -> Decimal:
    """Round a computed shelf price the way shops price: to 10 fen, ending in .x0 (at least 0.50)."""
    return max(Decimal("0.50"), (value * 10).quantize(Decimal("1"), rounding=ROUND_HALF_UP) / 10).quantize(CENT)


def _ean13(body12: str) -> str:
    return body12 + str(ean_check_digit(body12))


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714): 8 digits and their check character."""
    body = "".join(rng.choice("0123456789") for _ in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    check = 11 - sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def credit_code(rng: random.Random, *, kind: str, district: str) -> str:
    """A valid 18-character 统一社会信用代码 for a body registered in a Shanghai district."""
    first17 = REGISTRATION[kind] + DISTRICTS[district] + _org_code(rng)
    return first17 + credit_code_check_char(first17)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _mobile(rng: random.Random) -> str:
    return rng.choice(["138", "139", "136", "186", "135", "159", "177"]) + f"{rng.randrange(10**8):08d}"


def _landline(rng: random.Random) -> str:
    return f"021-{rng.choice('56')}{rng.randrange(10**7):07d}"


def _existing(model, names) -> dict:
    return {obj.name: obj for obj in model.objects.filter(name__in=list(names))}


def _units() -> dict[str, Unit]:
    units = _existing(Unit, UNITS)
    for name in UNITS:
        if name not in units:
            units[name] = catalog.unit_create(name=name)
    return units


def _brands() -> dict[str, Brand]:
    names = {line.brand for line in LINES if line.brand} | {row[1] for row in VARIANT_ITEMS}
    brands = _existing(Brand, names)
    for name in sorted(names):
        if name not in brands:
            brands[name] = catalog.brand_create(name=name)
    return brands


def _categories() -> dict[str, Category]:
    """The tree, keyed "top" and "top/sub"; categories the shop has already are reused."""
    found: dict[str, Category] = {}
    for top, (_prefix, subs) in CATEGORIES.items():
        parent = Category.objects.filter(parent=None, name=top).first() or catalog.category_create(name=top)
        found[top] = parent
        for sub in subs:
            child = Category.objects.filter(parent=parent, name=sub).first()
            found[f"{top}/{sub}"] = child or catalog.category_create(name=sub, parent=parent)
    return found


def _manufacturer_codes(rng: random.Random, brands: list[str]) -> dict[str, str]:
    """A distinct 5-digit GS1 China manufacturer number per brand (barcodes start 690–699)."""
    numbers = rng.sample(range(10000, 99999), len(brands))
    return {brand: f"69{number:05d}" for brand, number in zip(brands, numbers, strict=True)}


def _create_items(rng: random.Random, units, brands, categories) -> tuple[list[tuple[Item, str | None]], int]:
    """Every brand × product × size of LINES; returns the items with their brand name, and the count."""
    brand_names = sorted({line.brand or "散装" for line in LINES} | {row[1] for row in VARIANT_ITEMS})
    makers = _manufacturer_codes(rng, brand_names)
    next_ref = dict.fromkeys(brand_names, 1)
    serial = {prefix: 0 for prefix, _subs in CATEGORIES.values()}
    created: list[tuple[Item, str | None]] = []

    def barcode(brand: str) -> str:
        ref = next_ref[brand]
        next_ref[brand] += 1
        return _ean13(f"{makers[brand]}{ref:05d}")

    for line in LINES:
        top, sub = line.category.split("/")
        prefix = CATEGORIES[top][0]
        vat = VAT_AGRICULTURAL if sub in AGRICULTURAL else VAT_STANDARD
        for product in line.products:
            name, factor = (product, "1") if isinstance(product, str) else product
            for size in line.sizes:
                serial[prefix] += 1
                sale = _retail(Decimal(size.sale) * Decimal(factor))
                # Convenience-store margins: 15–32 % of the shelf price.
                margin = Decimal(rng.randrange(15, 33)) / 100
                item = catalog.item_create(
                    code=f"{prefix}{serial[prefix]:04d}",
                    name=f"{name} {size.label}".strip(),
                    base_unit=units[size.unit],
                    max_items=None,
                    category=categories[line.category],
                    brand=brands[line.brand] if line.brand else None,
                    vat_rate=vat,
                    purchase_price=_money(sale * (1 - margin)),
                    sale_price=sale,
                    shelf_life_days=line.shelf_life_days,
                    lot_tracked=top in LOT_TRACKED_TOP,
                    barcodes=[barcode(line.brand or "散装")],
                    units=[(units[unit], Decimal(per)) for unit, per in size.packs],
                )
                created.append((item, line.brand))
    for category, brand, code, name, unit, sale, attributes in VARIANT_ITEMS:
        sale_price = Decimal(sale)
        parent = catalog.item_create(
            code=code,
            name=name,
            base_unit=units[unit],
            max_items=None,
            category=categories[category],
            brand=brands[brand],
            vat_rate=VAT_STANDARD,
            purchase_price=_money(sale_price * Decimal("0.45")),
            sale_price=sale_price,
        )
        created.append((parent, brand))
        for variant in catalog.item_variants_generate(item=parent, attributes=attributes):
            # Each colour and size is its own article on the shelf, so each carries its own barcode.
            catalog.barcode_add(item=variant, code=barcode(brand))
            created.append((variant, brand))
    return created, len(created)


def _bank_account(rng: random.Random) -> str:
    return "".join(rng.choice("0123456789") for _ in range(19))


def _create_partners(rng: random.Random, items: list[tuple[Item, str | None]], result: SeedResult) -> None:
    existing = set(Partner.objects.values_list("code", flat=True))
    supplied_brands = {brand for row in SUPPLIERS if row[4] for brand in row[4]}
    for code, name, district, street, brands, terms in SUPPLIERS:
        if code in existing:
            continue
        contact = _person(rng)
        supplier = partners.partner_create(
            code=code,
            name=name,
            is_supplier=True,
            is_customer=code in BOTH_KINDS,
            taxpayer_id=credit_code(rng, kind="company", district=district),
            bank_name=f"{rng.choice(BANKS)}上海{district[:2]}支行",
            bank_account=_bank_account(rng),
            address=f"上海市{district}{street}",
            payment_terms_days=terms,
            credit_limit=_money(rng.choice([20000, 50000, 100000])) if code in BOTH_KINDS else Decimal("0.00"),
            price_tier=PriceTier.WHOLESALE,
            notes="演示数据：月结对账，送货上门。",
        )
        result.suppliers += 1
        partners.contact_create(
            partner_id=supplier.pk, name=contact, phone=_mobile(rng), title="业务经理", is_primary=True
        )
        partners.contact_create(partner_id=supplier.pk, name=_person(rng), phone=_landline(rng), title="财务")
        letters = "".join(ch for ch in code if ch.isalnum())
        for item, brand in items:
            if item.variant_of_id is not None and brands is not None:
                continue  # a supplier quotes the article; its colours and sizes share the quote
            mine = (brand in brands) if brands is not None else (brand not in supplied_brands)
            if not mine:
                continue
            # The last invoice rarely matches the list price to the fen.
            drift = Decimal(rng.randrange(-4, 4)) / 100
            partners.supplier_item_set(
                supplier_id=supplier.pk,
                item_id=item.pk,
                supplier_item_code=f"{letters}-{rng.randrange(100000, 999999)}",
                last_purchase_price=_money(item.purchase_price * (1 + drift)),
            )
            result.supplier_items += 1
    for code, name, district, street, tier, terms, limit, kind in CUSTOMERS:
        if code in existing:
            continue
        customer = partners.partner_create(
            code=code,
            name=name,
            is_customer=True,
            taxpayer_id=credit_code(rng, kind=kind, district=district),
            bank_name=f"{rng.choice(BANKS)}上海{district[:2]}支行" if kind != "individual" else "",
            bank_account=_bank_account(rng) if kind != "individual" else "",
            address=f"上海市{district}{street}",
            payment_terms_days=terms,
            credit_limit=Decimal(limit),
            price_tier=tier,
            notes="演示数据" if terms == 0 else f"演示数据：{terms} 天账期，每月 25 日对账。",
        )
        result.customers += 1
        person = _person(rng)
        partners.contact_create(partner_id=customer.pk, name=person, phone=_mobile(rng), title="采购", is_primary=True)


def demo_catalog_seed() -> SeedResult:
    """Fill the current schema (the demo tenant's) with the demo shop's catalog and partners.

    Does nothing when the shop has items already, so it is safe to call on every `make run`."""
    result = SeedResult()
    if Item.objects.exists():
        return result
    rng = random.Random(SEED)
    with transaction.atomic():
        units = _units()
        brands = _brands()
        categories = _categories()
        items, result.items = _create_items(rng, units, brands, categories)
        _create_partners(rng, items, result)
    logger.info(
        "demo shop seeded: %s items, %s suppliers, %s customers, %s supplier items",
        result.items,
        result.suppliers,
        result.customers,
        result.supplier_items,
    )
    return result
