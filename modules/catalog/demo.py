"""Realistic catalog data for the demo shop (a Shanghai convenience store): run inside the tenant's schema.

The demo set-up (onboarding/demo.py) calls `catalog_demo_seed()`; it does nothing when items exist already."""

from decimal import Decimal

from django.db import transaction

from modules.catalog import services
from modules.catalog.domain import ean_check_digit
from modules.catalog.models import Brand, Category, Item, Unit

UNITS = ["瓶", "罐", "箱", "包", "袋", "盒", "个", "条", "kg", "支"]

# (top category, subcategory, brand, base unit, case unit, units per case, VAT, sale price, products)
CATALOG = [
    (
        "饮料",
        "碳酸饮料",
        "可口可乐",
        "瓶",
        "箱",
        24,
        "0.13",
        "3.50",
        ["可口可乐 500ml", "雪碧 500ml", "芬达 500ml", "零度可口可乐 500ml", "可口可乐 330ml 罐装"],
    ),
    (
        "饮料",
        "碳酸饮料",
        "百事",
        "瓶",
        "箱",
        24,
        "0.13",
        "3.50",
        ["百事可乐 500ml", "七喜 500ml", "美年达 500ml", "百事可乐无糖 500ml"],
    ),
    (
        "饮料",
        "饮用水",
        "农夫山泉",
        "瓶",
        "箱",
        24,
        "0.13",
        "2.00",
        [
            "农夫山泉 550ml",
            "农夫山泉 1.5L",
            "农夫山泉 380ml",
            "东方树叶 乌龙茶 500ml",
            "东方树叶 茉莉花茶 500ml",
            "尖叫 550ml",
        ],
    ),
    (
        "饮料",
        "饮用水",
        "怡宝",
        "瓶",
        "箱",
        24,
        "0.13",
        "2.00",
        ["怡宝纯净水 555ml", "怡宝纯净水 1.555L", "魔力 运动饮料 600ml"],
    ),
    (
        "饮料",
        "茶饮料",
        "康师傅",
        "瓶",
        "箱",
        15,
        "0.13",
        "3.00",
        [
            "康师傅 冰红茶 500ml",
            "康师傅 绿茶 500ml",
            "康师傅 茉莉清茶 500ml",
            "康师傅 酸梅汤 500ml",
            "康师傅 冰糖雪梨 500ml",
        ],
    ),
    (
        "饮料",
        "茶饮料",
        "统一",
        "瓶",
        "箱",
        15,
        "0.13",
        "3.00",
        ["统一 冰红茶 500ml", "统一 绿茶 500ml", "统一 阿萨姆奶茶 500ml", "小茗同学 480ml"],
    ),
    (
        "饮料",
        "乳饮料",
        "伊利",
        "盒",
        "箱",
        24,
        "0.09",
        "3.50",
        ["伊利纯牛奶 250ml", "安慕希 原味 205g", "优酸乳 原味 250ml", "金典有机纯牛奶 250ml", "QQ星 儿童奶 125ml"],
    ),
    (
        "饮料",
        "乳饮料",
        "蒙牛",
        "盒",
        "箱",
        24,
        "0.09",
        "3.50",
        ["蒙牛纯牛奶 250ml", "特仑苏 250ml", "纯甄 原味 200g", "真果粒 草莓 250ml"],
    ),
    (
        "饮料",
        "乳饮料",
        "光明",
        "瓶",
        "箱",
        12,
        "0.09",
        "6.80",
        ["光明 鲜牛奶 950ml", "光明 莫斯利安 200g", "光明 优倍 鲜奶 450ml"],
    ),
    (
        "酒类",
        "啤酒",
        "青岛啤酒",
        "罐",
        "箱",
        24,
        "0.13",
        "5.50",
        ["青岛啤酒 经典 500ml", "青岛啤酒 纯生 500ml", "青岛啤酒 白啤 500ml"],
    ),
    (
        "酒类",
        "啤酒",
        "雪花",
        "罐",
        "箱",
        24,
        "0.13",
        "4.50",
        ["雪花啤酒 勇闯天涯 500ml", "雪花 纯生 500ml", "雪花 清爽 330ml"],
    ),
    ("酒类", "白酒", "红星", "瓶", "箱", 12, "0.13", "15.00", ["红星二锅头 56度 500ml", "红星二锅头 43度 150ml"]),
    (
        "休闲食品",
        "膨化食品",
        "乐事",
        "袋",
        "箱",
        20,
        "0.13",
        "7.50",
        ["乐事 原味薯片 70g", "乐事 黄瓜味薯片 70g", "乐事 番茄味薯片 70g", "乐事 青柠味薯片 70g"],
    ),
    (
        "休闲食品",
        "饼干糕点",
        "奥利奥",
        "包",
        "箱",
        24,
        "0.13",
        "8.90",
        ["奥利奥 原味 116g", "奥利奥 巧克力味 116g", "奥利奥 草莓味 116g"],
    ),
    (
        "休闲食品",
        "饼干糕点",
        "达利园",
        "包",
        "箱",
        20,
        "0.13",
        "12.80",
        ["达利园 法式软面包 香奶味 400g", "达利园 蛋黄派 250g", "达利园 瑞士卷 240g"],
    ),
    (
        "休闲食品",
        "坚果炒货",
        "三只松鼠",
        "袋",
        "箱",
        20,
        "0.09",
        "29.90",
        ["三只松鼠 每日坚果 750g", "三只松鼠 夏威夷果 160g", "三只松鼠 碧根果 160g", "三只松鼠 开心果 100g"],
    ),
    (
        "休闲食品",
        "坚果炒货",
        "洽洽",
        "袋",
        "箱",
        30,
        "0.09",
        "9.90",
        ["洽洽 香瓜子 260g", "洽洽 焦糖瓜子 108g", "洽洽 山核桃瓜子 108g"],
    ),
    (
        "休闲食品",
        "糖果巧克力",
        "德芙",
        "条",
        "盒",
        12,
        "0.13",
        "9.90",
        ["德芙 丝滑牛奶巧克力 43g", "德芙 黑巧克力 43g", "德芙 榛仁巧克力 43g"],
    ),
    ("休闲食品", "糖果巧克力", "大白兔", "袋", "箱", 30, "0.13", "15.90", ["大白兔奶糖 227g", "大白兔 红豆奶糖 227g"]),
    (
        "粮油调味",
        "方便食品",
        "康师傅",
        "袋",
        "箱",
        24,
        "0.13",
        "4.50",
        ["康师傅 红烧牛肉面", "康师傅 老坛酸菜牛肉面", "康师傅 香辣牛肉面", "康师傅 鲜虾鱼板面"],
    ),
    (
        "粮油调味",
        "方便食品",
        "统一",
        "袋",
        "箱",
        24,
        "0.13",
        "4.50",
        ["统一 老坛酸菜牛肉面", "统一 红烧牛肉面", "统一 汤达人 日式豚骨拉面"],
    ),
    (
        "粮油调味",
        "调味品",
        "海天",
        "瓶",
        "箱",
        12,
        "0.13",
        "12.90",
        ["海天 金标生抽 1.28L", "海天 老抽王 500ml", "海天 蚝油 700g", "海天 上等蚝油 260g", "海天 料酒 450ml"],
    ),
    (
        "粮油调味",
        "调味品",
        "老干妈",
        "瓶",
        "箱",
        24,
        "0.13",
        "11.50",
        ["老干妈 风味豆豉 280g", "老干妈 油辣椒 275g", "老干妈 香辣脆 210g"],
    ),
    (
        "粮油调味",
        "米面粮油",
        "金龙鱼",
        "瓶",
        "箱",
        4,
        "0.09",
        "69.90",
        ["金龙鱼 黄金比例调和油 5L", "金龙鱼 花生油 1.8L", "金龙鱼 东北大米 5kg"],
    ),
    (
        "日用百货",
        "纸品",
        "维达",
        "条",
        "箱",
        6,
        "0.13",
        "29.90",
        ["维达 超韧抽纸 3层 10包", "维达 卷纸 4层 10卷", "维达 湿巾 80片"],
    ),
    ("日用百货", "纸品", "清风", "条", "箱", 6, "0.13", "26.90", ["清风 原木纯品抽纸 10包", "清风 卷纸 3层 10卷"]),
    (
        "日用百货",
        "个人护理",
        "高露洁",
        "支",
        "盒",
        12,
        "0.13",
        "12.90",
        ["高露洁 全面防蛀牙膏 140g", "高露洁 冰爽薄荷牙膏 120g", "高露洁 软毛牙刷"],
    ),
    (
        "日用百货",
        "个人护理",
        "云南白药",
        "支",
        "盒",
        12,
        "0.13",
        "26.00",
        ["云南白药 牙膏 留兰香 150g", "云南白药 牙膏 薄荷清爽 150g"],
    ),
    (
        "日用百货",
        "家庭清洁",
        "立白",
        "瓶",
        "箱",
        12,
        "0.13",
        "9.90",
        ["立白 洗洁精 1.5kg", "立白 洗衣液 2kg", "立白 洗衣粉 1.7kg"],
    ),
    (
        "日用百货",
        "家庭清洁",
        "蓝月亮",
        "瓶",
        "箱",
        6,
        "0.13",
        "39.90",
        ["蓝月亮 深层洁净洗衣液 3kg", "蓝月亮 洗手液 500g"],
    ),
]


def _ean13(prefix: str, number: int) -> str:
    body = f"{prefix}{number:0{12 - len(prefix)}d}"
    return body + str(ean_check_digit(body))


def catalog_demo_seed() -> int:
    """Create the demo catalog; returns the number of items created (0 when the shop has items already)."""
    if Item.objects.exists():
        return 0
    with transaction.atomic():
        units = {name: Unit.objects.get_or_create(name=name)[0] for name in UNITS}
        categories: dict[tuple[str, str | None], Category] = {}
        brands: dict[str, Brand] = {}
        count = 0
        for top, sub, brand_name, base, case, per_case, vat, sale, products in CATALOG:
            if (top, None) not in categories:
                categories[(top, None)] = services.category_create(name=top)
            if (top, sub) not in categories:
                categories[(top, sub)] = services.category_create(name=sub, parent=categories[(top, None)])
            if brand_name not in brands:
                brands[brand_name] = Brand.objects.get_or_create(name=brand_name)[0]
            sale_price = Decimal(sale)
            for name in products:
                count += 1
                services.item_create(
                    code=f"SP{count:05d}", name=name, base_unit=units[base], max_items=None,
                    category=categories[(top, sub)], brand=brands[brand_name], vat_rate=Decimal(vat),
                    sale_price=sale_price, purchase_price=(sale_price * Decimal("0.72")).quantize(Decimal("0.01")),
                    shelf_life_days=365 if top != "日用百货" else None, lot_tracked=top in ("饮料", "酒类"),
                    barcodes=[_ean13("690", count)], units=[(units[case], Decimal(per_case))],
                )  # fmt: skip
        # A few clothes with variants, the way a shop selling 颜色 × 尺码 needs them.
        clothes = services.category_create(name="服装")
        tee = services.item_create(
            code="FZ00001", name="纯棉圆领T恤", base_unit=units["条"], max_items=None, category=clothes,
            vat_rate=Decimal("0.13"), sale_price=Decimal("49.00"), purchase_price=Decimal("25.00"),
        )  # fmt: skip
        created = services.item_variants_generate(
            item=tee, attributes={"颜色": ["白", "黑", "灰"], "尺码": ["M", "L", "XL"]}
        )
        return count + 1 + len(created)
