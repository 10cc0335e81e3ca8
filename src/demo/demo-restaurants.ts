/** The demo restaurants: enough menu, stock and history to explore every part of the API. */
export interface DemoDish {
  name: string;
  description: string;
  priceAmount: number;
  /** Inventory item names and the quantity one portion uses. */
  recipe: Array<[string, number]>;
}

export interface DemoRestaurant {
  slug: string;
  name: string;
  timezone: string;
  currency: string;
  taxRateBps: number;
  inventory: Array<{ name: string; unit: string; quantity: number; reorderThreshold: number }>;
  menu: Array<{ category: string; description: string; dishes: DemoDish[] }>;
}

const dish = (name: string, description: string, priceAmount: number, ...recipe: Array<[string, number]>): DemoDish => ({
  name,
  description,
  priceAmount,
  recipe,
});

export const demoRestaurants: DemoRestaurant[] = [
  {
    slug: 'demo-bistro',
    name: 'Demo Bistro',
    timezone: 'America/New_York',
    currency: 'USD',
    taxRateBps: 887,
    inventory: [
      { name: 'Flour', unit: 'kg', quantity: 40, reorderThreshold: 10 },
      { name: 'Butter', unit: 'kg', quantity: 12, reorderThreshold: 4 },
      { name: 'Eggs', unit: 'each', quantity: 360, reorderThreshold: 60 },
      { name: 'Milk', unit: 'l', quantity: 30, reorderThreshold: 8 },
      { name: 'Beef', unit: 'kg', quantity: 25, reorderThreshold: 6 },
      { name: 'Chicken', unit: 'kg', quantity: 22, reorderThreshold: 6 },
      { name: 'Salmon', unit: 'kg', quantity: 9, reorderThreshold: 3 },
      { name: 'Potatoes', unit: 'kg', quantity: 50, reorderThreshold: 12 },
      { name: 'Lettuce', unit: 'each', quantity: 40, reorderThreshold: 10 },
      { name: 'Tomatoes', unit: 'kg', quantity: 18, reorderThreshold: 5 },
      { name: 'Cheese', unit: 'kg', quantity: 14, reorderThreshold: 4 },
      { name: 'Coffee beans', unit: 'kg', quantity: 8, reorderThreshold: 2 },
      { name: 'Chocolate', unit: 'kg', quantity: 5, reorderThreshold: 1.5 },
      { name: 'Lemons', unit: 'each', quantity: 80, reorderThreshold: 20 },
      { name: 'House wine', unit: 'l', quantity: 2.5, reorderThreshold: 6 },
    ],
    menu: [
      {
        category: 'Starters',
        description: 'Small plates to share',
        dishes: [
          dish('French Onion Soup', 'Caramelised onions, gruyère crouton', 950, ['Cheese', 0.05], ['Butter', 0.02]),
          dish('Caesar Salad', 'Romaine, parmesan, anchovy dressing', 1100, ['Lettuce', 1], ['Cheese', 0.03], ['Eggs', 1]),
          dish('Tomato Bruschetta', 'Grilled bread, tomatoes, basil', 850, ['Tomatoes', 0.15], ['Flour', 0.08]),
          dish('Salmon Tartare', 'Capers, shallots, lemon', 1450, ['Salmon', 0.12], ['Lemons', 1]),
          dish('Deviled Eggs', 'Smoked paprika, chives', 700, ['Eggs', 3]),
          dish('Cheese Gougères', 'Warm choux puffs', 800, ['Flour', 0.05], ['Cheese', 0.04], ['Eggs', 1], ['Butter', 0.03]),
          dish('Chicken Liver Pâté', 'Toasted brioche, cornichons', 1050, ['Chicken', 0.1], ['Butter', 0.04]),
          dish('Soup of the Day', "Ask your server for today's soup", 800, ['Potatoes', 0.2], ['Milk', 0.1]),
        ],
      },
      {
        category: 'Mains',
        description: 'Served with a side of your choice',
        dishes: [
          dish('Steak Frites', 'Sirloin, herb butter, fries', 2850, ['Beef', 0.3], ['Potatoes', 0.3], ['Butter', 0.02]),
          dish('Roast Chicken', 'Half chicken, jus, mash', 2300, ['Chicken', 0.5], ['Potatoes', 0.25], ['Milk', 0.05]),
          dish('Pan-Seared Salmon', 'Lemon beurre blanc, greens', 2650, ['Salmon', 0.22], ['Butter', 0.03], ['Lemons', 1]),
          dish('Bistro Burger', 'Aged cheddar, pickles, brioche bun', 1950, ['Beef', 0.2], ['Cheese', 0.04], ['Flour', 0.1]),
          dish('Beef Bourguignon', 'Slow-braised in red wine', 2700, ['Beef', 0.28], ['House wine', 0.15]),
          dish('Croque Monsieur', 'Ham, gruyère, béchamel', 1500, ['Cheese', 0.08], ['Flour', 0.12], ['Milk', 0.1]),
          dish('Mushroom Risotto', 'Parmesan, truffle oil', 2100, ['Cheese', 0.05], ['Butter', 0.03]),
          dish('Chicken Paillard', 'Rocket, tomatoes, lemon', 2050, ['Chicken', 0.25], ['Tomatoes', 0.1], ['Lemons', 1]),
          dish('Moules Frites', 'Mussels in white wine, fries', 2400, ['Potatoes', 0.3], ['House wine', 0.1]),
          dish('Quiche Lorraine', 'Bacon, gruyère, green salad', 1650, ['Eggs', 3], ['Flour', 0.1], ['Cheese', 0.05], ['Lettuce', 0.5]),
        ],
      },
      {
        category: 'Sides',
        description: 'To go with anything',
        dishes: [
          dish('Fries', 'Sea salt', 550, ['Potatoes', 0.25]),
          dish('Mashed Potatoes', 'Butter and chives', 600, ['Potatoes', 0.25], ['Butter', 0.03], ['Milk', 0.05]),
          dish('Green Salad', 'House vinaigrette', 600, ['Lettuce', 0.5]),
          dish('Gratin Dauphinois', 'Cream, gruyère', 750, ['Potatoes', 0.25], ['Cheese', 0.04], ['Milk', 0.1]),
          dish('Sautéed Greens', 'Garlic, lemon', 650, ['Lettuce', 0.5], ['Lemons', 1]),
          dish('Baguette & Butter', 'Baked this morning', 400, ['Flour', 0.15], ['Butter', 0.02]),
        ],
      },
      {
        category: 'Desserts',
        description: 'Made in house',
        dishes: [
          dish('Crème Brûlée', 'Vanilla custard, burnt sugar', 900, ['Eggs', 3], ['Milk', 0.15]),
          dish('Chocolate Mousse', 'Dark chocolate, chantilly', 950, ['Chocolate', 0.08], ['Eggs', 2]),
          dish('Tarte Tatin', 'Caramelised apples, crème fraîche', 1000, ['Flour', 0.08], ['Butter', 0.05]),
          dish('Lemon Tart', 'Torched meringue', 900, ['Lemons', 2], ['Eggs', 2], ['Flour', 0.06]),
          dish('Profiteroles', 'Vanilla ice cream, hot chocolate', 1050, ['Flour', 0.05], ['Eggs', 1], ['Chocolate', 0.05]),
          dish('Cheese Plate', 'Three cheeses, honey, walnuts', 1400, ['Cheese', 0.15]),
        ],
      },
      {
        category: 'Drinks',
        description: 'Hot and cold',
        dishes: [
          dish('Espresso', 'Single origin', 350, ['Coffee beans', 0.018]),
          dish('Cappuccino', 'Whole or oat milk', 475, ['Coffee beans', 0.018], ['Milk', 0.15]),
          dish('Café au Lait', 'Large cup', 450, ['Coffee beans', 0.018], ['Milk', 0.2]),
          dish('Hot Chocolate', 'Whipped cream', 500, ['Chocolate', 0.04], ['Milk', 0.25]),
          dish('Fresh Lemonade', 'Squeezed to order', 550, ['Lemons', 2]),
          dish('House Red Wine', 'Glass', 1100, ['House wine', 0.15]),
          dish('House White Wine', 'Glass', 1100, ['House wine', 0.15]),
          dish('Sparkling Water', 'Bottle', 400),
          dish('Iced Tea', 'Unsweetened', 400, ['Lemons', 1]),
          dish('Orange Juice', 'Freshly pressed', 550),
          dish('Affogato', 'Espresso over vanilla ice cream', 750, ['Coffee beans', 0.018], ['Milk', 0.1]),
          dish('Kir Royal', 'Crème de cassis, sparkling wine', 1300, ['House wine', 0.12]),
        ],
      },
    ],
  },
  {
    slug: 'harbor-grill',
    name: 'Harbor Grill',
    timezone: 'America/Los_Angeles',
    currency: 'USD',
    taxRateBps: 725,
    inventory: [
      { name: 'Cod', unit: 'kg', quantity: 15, reorderThreshold: 4 },
      { name: 'Shrimp', unit: 'kg', quantity: 10, reorderThreshold: 3 },
      { name: 'Oysters', unit: 'each', quantity: 240, reorderThreshold: 48 },
      { name: 'Tuna', unit: 'kg', quantity: 7, reorderThreshold: 2 },
      { name: 'Crab', unit: 'kg', quantity: 6, reorderThreshold: 2 },
      { name: 'Beef', unit: 'kg', quantity: 18, reorderThreshold: 5 },
      { name: 'Potatoes', unit: 'kg', quantity: 45, reorderThreshold: 10 },
      { name: 'Cabbage', unit: 'each', quantity: 30, reorderThreshold: 8 },
      { name: 'Corn', unit: 'each', quantity: 60, reorderThreshold: 15 },
      { name: 'Flour', unit: 'kg', quantity: 30, reorderThreshold: 8 },
      { name: 'Lemons', unit: 'each', quantity: 120, reorderThreshold: 30 },
      { name: 'Butter', unit: 'kg', quantity: 10, reorderThreshold: 3 },
      { name: 'Draft beer', unit: 'l', quantity: 100, reorderThreshold: 25 },
      { name: 'Ice cream', unit: 'l', quantity: 3, reorderThreshold: 4 },
    ],
    menu: [
      {
        category: 'Raw Bar',
        description: 'On ice, with mignonette',
        dishes: [
          dish('Half Dozen Oysters', 'Daily selection', 1900, ['Oysters', 6], ['Lemons', 1]),
          dish('Dozen Oysters', 'Daily selection', 3500, ['Oysters', 12], ['Lemons', 2]),
          dish('Shrimp Cocktail', 'Horseradish cocktail sauce', 1600, ['Shrimp', 0.15], ['Lemons', 1]),
          dish('Tuna Crudo', 'Citrus, chili, olive oil', 1800, ['Tuna', 0.12], ['Lemons', 1]),
          dish('Crab Claws', 'Mustard sauce', 2400, ['Crab', 0.25]),
          dish('Seafood Tower', 'Oysters, shrimp, crab, tuna', 7500, ['Oysters', 12], ['Shrimp', 0.3], ['Crab', 0.3], ['Tuna', 0.1]),
        ],
      },
      {
        category: 'Starters',
        description: 'To begin',
        dishes: [
          dish('Clam Chowder', 'New England style', 1000, ['Potatoes', 0.1], ['Butter', 0.02]),
          dish('Crab Cakes', 'Remoulade', 1700, ['Crab', 0.15], ['Flour', 0.03]),
          dish('Fried Calamari', 'Lemon aioli', 1400, ['Flour', 0.05], ['Lemons', 1]),
          dish('Grilled Corn', 'Chili butter, cotija', 800, ['Corn', 1], ['Butter', 0.02]),
          dish('Coleslaw Cup', 'Tangy dressing', 500, ['Cabbage', 0.25]),
          dish('Shrimp Tacos', 'Two tacos, cabbage slaw', 1500, ['Shrimp', 0.12], ['Cabbage', 0.2], ['Flour', 0.06]),
          dish('Fish Bites', 'Beer batter, tartar sauce', 1200, ['Cod', 0.12], ['Flour', 0.05], ['Draft beer', 0.05]),
          dish('Smoked Fish Dip', 'Crackers, pickles', 1100, ['Tuna', 0.08]),
        ],
      },
      {
        category: 'From the Grill',
        description: 'Wood-fired',
        dishes: [
          dish(
            'Fish and Chips',
            'Beer-battered cod, fries, slaw',
            2200,
            ['Cod', 0.25],
            ['Potatoes', 0.3],
            ['Flour', 0.08],
            ['Draft beer', 0.1],
          ),
          dish('Grilled Swordfish', 'Salsa verde, potatoes', 3200, ['Potatoes', 0.2], ['Lemons', 1]),
          dish('Seared Tuna Steak', 'Sesame crust, greens', 3400, ['Tuna', 0.25]),
          dish('Lobster Roll', 'Brown butter, toasted bun', 3600, ['Butter', 0.03], ['Flour', 0.08]),
          dish('Harbor Burger', 'Double patty, special sauce', 1900, ['Beef', 0.25], ['Flour', 0.1]),
          dish('Ribeye', '14 oz, garlic butter', 4800, ['Beef', 0.4], ['Butter', 0.03]),
          dish('Shrimp Skewers', 'Garlic, lemon, herbs', 2600, ['Shrimp', 0.25], ['Lemons', 1]),
          dish('Cod Sandwich', 'Grilled cod, slaw, brioche', 1800, ['Cod', 0.18], ['Cabbage', 0.15], ['Flour', 0.1]),
          dish('Surf and Turf', 'Steak and shrimp', 5200, ['Beef', 0.3], ['Shrimp', 0.15]),
          dish('Crab Mac and Cheese', 'Three cheeses, crab, crumbs', 2500, ['Crab', 0.1], ['Flour', 0.1], ['Butter', 0.04]),
        ],
      },
      {
        category: 'Sides',
        description: 'For the table',
        dishes: [
          dish('Hand-Cut Fries', 'Old Bay salt', 600, ['Potatoes', 0.3]),
          dish('Corn on the Cob', 'Salted butter', 600, ['Corn', 1], ['Butter', 0.02]),
          dish('Hush Puppies', 'Honey butter', 700, ['Flour', 0.08], ['Butter', 0.02]),
          dish('Baked Potato', 'Sour cream, chives', 650, ['Potatoes', 0.35]),
          dish('Garlic Bread', 'Parmesan', 550, ['Flour', 0.1], ['Butter', 0.03]),
        ],
      },
      {
        category: 'Desserts',
        description: 'Something sweet',
        dishes: [
          dish('Key Lime Pie', 'Graham crust', 900, ['Lemons', 2], ['Flour', 0.05]),
          dish('Ice Cream Sundae', 'Hot fudge, nuts', 850, ['Ice cream', 0.2]),
          dish('Peach Cobbler', 'Vanilla ice cream', 950, ['Flour', 0.08], ['Ice cream', 0.1]),
          dish('Brownie', 'Warm, with ice cream', 800, ['Flour', 0.05], ['Ice cream', 0.1]),
        ],
      },
      {
        category: 'Drinks',
        description: 'Cold ones',
        dishes: [
          dish('Draft Lager', 'Pint', 750, ['Draft beer', 0.47]),
          dish('Draft IPA', 'Pint', 850, ['Draft beer', 0.47]),
          dish('Lemonade', 'House-made', 500, ['Lemons', 2]),
          dish('Iced Tea', 'Sweet or unsweet', 400, ['Lemons', 1]),
          dish('Root Beer Float', 'Vanilla ice cream', 700, ['Ice cream', 0.1]),
          dish('Bloody Mary', 'Celery, olives', 1200, ['Lemons', 1]),
          dish('Margarita', 'On the rocks', 1300, ['Lemons', 2]),
          dish('Soda', 'Free refills', 350),
          dish('Sparkling Water', 'Bottle', 400),
        ],
      },
    ],
  },
];

export const demoPassword = 'servio-demo';
export const demoRoles = ['OWNER', 'MANAGER', 'STAFF'] as const;
