<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>ccd</name>
    <message>
      <source>Invalid input layer: {}</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>{}: expected numbers separated by commas, got '{}'</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coupling coordination</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coupling Coordination Toolbox</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Entropy-weighted index</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Indices</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Standardises the indicators (positive: (x − min)/(max − min); negative: (max − x)/(max − min)), weights them with the entropy method and writes the composite index of each row.

p_ij = x'_ij / Σ_i x'_ij, e_j = −k Σ_i p_ij ln p_ij (0 ln 0 = 0), d_j = 1 − e_j, w_j = d_j / Σ d_j. Pooled over a panel of r years and n units k = 1/ln(rn) (min and max over all years, so indices compare over time); within each year k = 1/ln(n).

The WEIGHTS table gives e, d and w of every indicator.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Input layer or table (one row per unit and year)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unit id field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Year field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Positive indicators (larger is better)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Negative indicators (smaller is better)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Standardise and weight</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Pooled over all years (indices comparable over time)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Separately within each year</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Shift added after standardisation (e.g. 0.0001)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Name of the index field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Missing values</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Stop and list the missing values</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Interpolate gaps linearly within each unit</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Drop units with a larger share of missing values (0–1; with interpolation)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Output layer</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Entropy weights</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Persistent innovation index (Coninnov)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Persistent urban innovation from a patent count p per unit and year:
Coninnov_t = (p_t + p_{t−1}) / (p_{t−1} + p_{t−2}) · (p_t + p_{t−1}).

Each unit's first two years have no value (status 'first years'); a year whose two prior years are absent has status 'missing prior year'; a zero denominator (no patents in the two prior years) is left empty with status 'zero denominator' and listed in the log — never turned into 0 or infinity.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Patent count field</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coupling coordination degree</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coupling degree C, comprehensive development index T and coupling coordination degree D = sqrt(C·T) of two or more system indices in [0, 1] for every row (unit-year), with the 10-level class of D and the level of C.

Classic: C = n·(∏Uᵢ / (ΣUᵢ)ⁿ)^(1/n). Revised (Wang Shujia et al., 2021, 自然资源学报 36(3):793–810): C = sqrt((1 − Σ_{i&gt;j}|Uᵢ−Uⱼ| / Σ_{m=1}^{n−1} m) · (∏Uᵢ / max U)^(1/(n−1))), which avoids the classic C crowding near 1. T = Σ aᵢUᵢ with the system weights (equal by default).

Rows where every system is 0 have no defined C: C and D are left empty and the rows are listed in the log.</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>System index fields (two or more, values in [0, 1])</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>System weights for T, comma separated, summing to 1 (default equal)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Coupling model</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Classic coupling C = n·(∏U / (ΣU)ⁿ)^(1/n)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Revised coupling (Wang Shujia et al., 2021)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Class breaks of D, comma separated (default 0, 0.1, …, 1: ten levels)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Unit id field (names units in messages)</source>
      <translation type="unfinished" />
    </message>
    <message>
      <source>Year field (names years in messages)</source>
      <translation type="unfinished" />
    </message>
  </context>
</TS>
