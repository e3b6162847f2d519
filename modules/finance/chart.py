"""The chart of accounts of the 小企业会计准则 (Accounting Standards for Small Enterprises, 2013), as every new
shop starts with it: the standard first-level accounts plus the VAT sub-accounts small shops keep by common
practice (应交税费—应交增值税—进项税额/销项税额 …) and 利润分配—未分配利润.

The data migration `0002_chart_template` copies this list into each new tenant schema (the spare-schema
pool is migrated too). It is frozen history once released: change the chart with a new data migration,
never by editing a released row here. Parents follow from the codes: 4 digits are first-level accounts,
each further 2 digits one level down (222101 under 2221, 22210101 under 222101).
"""

ASSET, LIABILITY, EQUITY, COST, PROFIT_LOSS = "asset", "liability", "equity", "cost", "profit_loss"
D, C = "debit", "credit"

# (code, 中文名, English name, type, normal balance side)
TEMPLATE: tuple[tuple[str, str, str, str, str], ...] = (
    # 一、资产类
    ("1001", "库存现金", "Cash on hand", ASSET, D),
    ("1002", "银行存款", "Bank deposits", ASSET, D),
    ("1012", "其他货币资金", "Other monetary funds", ASSET, D),
    ("1101", "短期投资", "Short-term investments", ASSET, D),
    ("1121", "应收票据", "Notes receivable", ASSET, D),
    ("1122", "应收账款", "Accounts receivable", ASSET, D),
    ("1123", "预付账款", "Prepayments", ASSET, D),
    ("1131", "应收股利", "Dividends receivable", ASSET, D),
    ("1132", "应收利息", "Interest receivable", ASSET, D),
    ("1221", "其他应收款", "Other receivables", ASSET, D),
    ("1401", "材料采购", "Materials purchasing", ASSET, D),
    ("1402", "在途物资", "Goods in transit", ASSET, D),
    ("1403", "原材料", "Raw materials", ASSET, D),
    ("1404", "材料成本差异", "Materials cost variance", ASSET, D),
    ("1405", "库存商品", "Merchandise inventory", ASSET, D),
    ("1407", "商品进销差价", "Merchandise price difference", ASSET, C),
    ("1408", "委托加工物资", "Materials in outsourced processing", ASSET, D),
    ("1411", "周转材料", "Reusable materials", ASSET, D),
    ("1421", "消耗性生物资产", "Consumable biological assets", ASSET, D),
    ("1501", "长期债券投资", "Long-term bond investments", ASSET, D),
    ("1511", "长期股权投资", "Long-term equity investments", ASSET, D),
    ("1601", "固定资产", "Fixed assets", ASSET, D),
    ("1602", "累计折旧", "Accumulated depreciation", ASSET, C),
    ("1604", "在建工程", "Construction in progress", ASSET, D),
    ("1605", "工程物资", "Construction materials", ASSET, D),
    ("1606", "固定资产清理", "Fixed assets in disposal", ASSET, D),
    ("1621", "生产性生物资产", "Productive biological assets", ASSET, D),
    ("1622", "生产性生物资产累计折旧", "Accumulated depreciation of productive biological assets", ASSET, C),
    ("1701", "无形资产", "Intangible assets", ASSET, D),
    ("1702", "累计摊销", "Accumulated amortisation", ASSET, C),
    ("1801", "长期待摊费用", "Long-term deferred expenses", ASSET, D),
    ("1901", "待处理财产损溢", "Assets losses and gains pending", ASSET, D),
    # 二、负债类
    ("2001", "短期借款", "Short-term borrowings", LIABILITY, C),
    ("2201", "应付票据", "Notes payable", LIABILITY, C),
    ("2202", "应付账款", "Accounts payable", LIABILITY, C),
    ("2203", "预收账款", "Advances from customers", LIABILITY, C),
    ("2211", "应付职工薪酬", "Employee pay payable", LIABILITY, C),
    ("2221", "应交税费", "Taxes payable", LIABILITY, C),
    ("222101", "应交增值税", "VAT payable", LIABILITY, C),
    ("22210101", "进项税额", "Input VAT", LIABILITY, C),
    ("22210102", "销项税额", "Output VAT", LIABILITY, C),
    ("22210103", "进项税额转出", "Input VAT transferred out", LIABILITY, C),
    ("22210104", "已交税金", "VAT paid", LIABILITY, C),
    ("22210105", "转出未交增值税", "Unpaid VAT transferred out", LIABILITY, C),
    ("222102", "未交增值税", "Unpaid VAT", LIABILITY, C),
    ("222103", "简易计税", "VAT under the simple method", LIABILITY, C),
    ("222104", "应交城市维护建设税", "City maintenance and construction tax payable", LIABILITY, C),
    ("222105", "应交教育费附加", "Education surcharge payable", LIABILITY, C),
    ("222106", "应交地方教育附加", "Local education surcharge payable", LIABILITY, C),
    ("222107", "应交企业所得税", "Enterprise income tax payable", LIABILITY, C),
    ("222108", "应交个人所得税", "Individual income tax withheld", LIABILITY, C),
    ("2231", "应付利息", "Interest payable", LIABILITY, C),
    ("2232", "应付利润", "Profits payable", LIABILITY, C),
    ("2241", "其他应付款", "Other payables", LIABILITY, C),
    ("2401", "递延收益", "Deferred income", LIABILITY, C),
    ("2501", "长期借款", "Long-term borrowings", LIABILITY, C),
    ("2701", "长期应付款", "Long-term payables", LIABILITY, C),
    # 三、所有者权益类
    ("3001", "实收资本", "Paid-in capital", EQUITY, C),
    ("3002", "资本公积", "Capital reserve", EQUITY, C),
    ("3101", "盈余公积", "Surplus reserve", EQUITY, C),
    ("3103", "本年利润", "Profit of the year", EQUITY, C),
    ("3104", "利润分配", "Profit distribution", EQUITY, C),
    ("310401", "未分配利润", "Retained earnings", EQUITY, C),
    # 四、成本类
    ("4001", "生产成本", "Production cost", COST, D),
    ("4101", "制造费用", "Manufacturing overhead", COST, D),
    ("4301", "研发支出", "Research and development expenditure", COST, D),
    ("4401", "工程施工", "Construction contracts", COST, D),
    ("4403", "机械作业", "Machinery operations", COST, D),
    # 五、损益类
    ("5001", "主营业务收入", "Main business revenue", PROFIT_LOSS, C),
    ("5051", "其他业务收入", "Other business revenue", PROFIT_LOSS, C),
    ("5111", "投资收益", "Investment income", PROFIT_LOSS, C),
    ("5301", "营业外收入", "Non-operating income", PROFIT_LOSS, C),
    ("5401", "主营业务成本", "Main business cost", PROFIT_LOSS, D),
    ("5402", "其他业务成本", "Other business cost", PROFIT_LOSS, D),
    ("5403", "税金及附加", "Taxes and surcharges", PROFIT_LOSS, D),
    ("5601", "销售费用", "Selling expenses", PROFIT_LOSS, D),
    ("5602", "管理费用", "Administrative expenses", PROFIT_LOSS, D),
    ("5603", "财务费用", "Financial expenses", PROFIT_LOSS, D),
    ("5711", "营业外支出", "Non-operating expenses", PROFIT_LOSS, D),
    ("5801", "所得税费用", "Income tax expense", PROFIT_LOSS, D),
)

# Codes the posting services rely on by name: documents ask for these, never for a literal.
CASH = "1001"
BANK = "1002"
RECEIVABLE = "1122"
PREPAYMENT = "1123"
INVENTORY = "1405"
PAYABLE = "2202"
ADVANCE_RECEIVED = "2203"
INPUT_VAT = "22210101"
OUTPUT_VAT = "22210102"
INPUT_VAT_OUT = "22210103"
PROFIT_OF_YEAR = "3103"
RETAINED_EARNINGS = "310401"
REVENUE = "5001"
COST_OF_SALES = "5401"
NON_OPERATING_INCOME = "5301"
NON_OPERATING_EXPENSE = "5711"


def parent_code(code: str) -> str | None:
    """The code one level up: None for a first-level (4-digit) account."""
    return code[:-2] if len(code) > 4 else None
